// The web build for the browser tests; Chromium itself is launched by `@cloudmart/test-kit/browser`.
import { spawn } from 'node:child_process';
import path from 'node:path';

export const webDir = path.resolve(__dirname, '..');

/** `npm run build -w @cloudmart/web`: the persisted-query manifest, then the static files. */
export function buildWeb(): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn('npm', ['run', 'build', '--silent'], {
      cwd: webDir,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('error', reject);
    child.once('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`web build failed (${code}):\n${output}`)),
    );
  });
}
