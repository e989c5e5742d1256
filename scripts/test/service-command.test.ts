import path from 'node:path';
import { serviceCommand } from '../service-command';

describe('serviceCommand', () => {
  const packageDir = path.join('/repo', 'subgraphs', 'orders');

  it('runs the TypeScript entry through tsx in the dev form', () => {
    expect(serviceCommand(packageDir, 'dev')).toEqual({
      command: process.execPath,
      args: ['--import', 'tsx', path.join(packageDir, 'src', 'index.ts')],
    });
  });

  it('runs the built entry with plain node and source maps in the compiled form', () => {
    const { command, args } = serviceCommand(packageDir, 'compiled');
    expect(command).toBe(process.execPath);
    expect(args).toEqual(['--enable-source-maps', path.join(packageDir, 'dist', 'index.js')]);
    expect(args.join(' ')).not.toMatch(/tsx/);
  });
});
