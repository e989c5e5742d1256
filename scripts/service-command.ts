// How to start a service, in its development or its compiled form: the one place that knows.
//
//   serviceCommand(packageDir, form) → { command, args }
//
//   packageDir  the service's package folder (e.g. path.join(repoRoot, 'gateway') or a
//               supergraph.yaml entry's packageDir); an absolute path.
//   form        'dev'      → node --import tsx <packageDir>/src/index.ts   (npm start's fast loop)
//               'compiled' → node --enable-source-maps <packageDir>/dist/index.js   (npm run build's
//                            output; what the images run; no TypeScript loader at all)
//
// Spawn it with the repository (or any folder in it) as the working directory: `--import tsx` is
// resolved from there. `command` is this Node (process.execPath), so children run the same version.
// scripts/start.ts, the production launcher, the soak and the tests all start services through this.
import path from 'node:path';

export type ServiceForm = 'dev' | 'compiled';

export interface ServiceCommand {
  command: string;
  args: string[];
}

/** The built entry of a service package: where `npm run build` writes it. */
export const compiledEntry = (packageDir: string) => path.join(packageDir, 'dist', 'index.js');

/** The TypeScript entry of a service package. */
export const sourceEntry = (packageDir: string) => path.join(packageDir, 'src', 'index.ts');

export function serviceCommand(packageDir: string, form: ServiceForm): ServiceCommand {
  return form === 'compiled'
    ? // Stack traces point into the TypeScript sources through the maps the build writes beside.
      { command: process.execPath, args: ['--enable-source-maps', compiledEntry(packageDir)] }
    : { command: process.execPath, args: ['--import', 'tsx', sourceEntry(packageDir)] };
}
