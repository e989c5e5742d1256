// npm run lambdas: each function of scripts/deploy/lambdas.ts as a zip for AWS Lambda's Node.js 24
// runtime, dist/lambdas/<name>.zip: index.js (the handler's module bundled by esbuild, our
// workspaces and every pure-JavaScript package compiled in, with its source map) and a
// node_modules folder holding only the native packages, copied as npm installed them for this
// platform (linux-x64, the functions' architecture), with the packages they require.
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { build } from 'esbuild';
import { zipSync, type Zippable } from 'fflate';
import { repoRoot } from '@cloudmart/runtime';
import { lambdaFunctions, type LambdaFunction } from './deploy/lambdas';

export const lambdasDir = path.join(repoRoot, 'dist', 'lambdas');

/** A package's folder and those of its dependencies (and optional ones installed here), once each. */
function packageClosure(name: string, from: string, found = new Map<string, string>()): Map<string, string> {
  if (found.has(name)) return found;
  // Found as Node finds it, in node_modules from `from` upwards (a package's exports may not list
  // its package.json, so require.resolve cannot be asked).
  let dir: string | undefined;
  for (let at = from; !dir; at = path.dirname(at)) {
    const candidate = path.join(at, 'node_modules', name);
    if (existsSync(path.join(candidate, 'package.json'))) dir = candidate;
    else if (path.dirname(at) === at) return found; // an optional dependency of another platform
  }
  const manifest = path.join(dir, 'package.json');
  found.set(name, dir);
  const { dependencies = {}, optionalDependencies = {} } = JSON.parse(readFileSync(manifest, 'utf8')) as {
    dependencies?: Record<string, string>;
    optionalDependencies?: Record<string, string>;
  };
  for (const dependency of [...Object.keys(dependencies), ...Object.keys(optionalDependencies)]) {
    packageClosure(dependency, dir, found);
  }
  return found;
}

/** Every file under `dir`, as zip entries under `prefix`. */
function addFolder(zip: Zippable, dir: string, prefix: string): void {
  for (const entry of readdirSync(dir)) {
    const file = path.join(dir, entry);
    if (statSync(file).isDirectory()) addFolder(zip, file, `${prefix}${entry}/`);
    else zip[`${prefix}${entry}`] = readFileSync(file);
  }
}

/** Bundles one function and writes its zip; returns the zip's path. */
export async function buildLambda(fn: LambdaFunction, outDir = lambdasDir): Promise<string> {
  const workspaceDir = path.join(repoRoot, fn.workspace);
  const result = await build({
    entryPoints: [path.join(workspaceDir, fn.entry)],
    bundle: true,
    platform: 'node',
    target: 'node24',
    format: 'cjs',
    external: fn.nativePackages,
    sourcemap: 'external',
    write: false,
    outfile: 'index.js',
    logLevel: 'warning',
  });
  const zip: Zippable = {};
  for (const file of result.outputFiles) zip[path.basename(file.path)] = file.contents;
  for (const native of fn.nativePackages) {
    for (const [name, dir] of packageClosure(native, workspaceDir)) addFolder(zip, dir, `node_modules/${name}/`);
  }
  mkdirSync(outDir, { recursive: true });
  const zipFile = path.join(outDir, `${fn.name}.zip`);
  writeFileSync(zipFile, zipSync(zip, { level: 6 }));
  return zipFile;
}

async function main() {
  // The native packages are copied as installed here: only a linux-x64 install has the functions' build.
  if (process.platform !== 'linux' || process.arch !== 'x64') {
    console.error(`npm run lambdas needs linux-x64 (the functions' platform), not ${process.platform}-${process.arch}: run it in CI or a linux-x64 container.`);
    process.exit(1);
  }
  if (existsSync(lambdasDir)) rmSync(lambdasDir, { recursive: true });
  for (const fn of lambdaFunctions) {
    const zipFile = await buildLambda(fn);
    console.log(`${path.relative(repoRoot, zipFile)} (${(statSync(zipFile).size / 1024 / 1024).toFixed(1)} MB)`);
  }
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
