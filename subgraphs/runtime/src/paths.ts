import { existsSync } from 'node:fs';
import path from 'node:path';

/**
 * The repository root: the nearest folder above this file that holds supergraph.yaml. In an AWS
 * Lambda (LAMBDA_TASK_ROOT is set) there is no repository, only the function's bundle: its folder.
 */
export const repoRoot: string = (() => {
  if (process.env.LAMBDA_TASK_ROOT) return process.env.LAMBDA_TASK_ROOT;
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
