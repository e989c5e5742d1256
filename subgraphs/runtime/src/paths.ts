import { existsSync } from 'node:fs';
import path from 'node:path';

/** The repository root: the nearest folder above this file that holds supergraph.yaml. */
export const repoRoot: string = (() => {
  let dir = __dirname;
  while (!existsSync(path.join(dir, 'supergraph.yaml'))) {
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`supergraph.yaml not found above ${__dirname}`);
    dir = parent;
  }
  return dir;
})();

/** Where embedded stores and development keys live unless DATA_DIR says otherwise. */
export const defaultDataDir = path.join(repoRoot, '.data');
