// npm run build [-- <workspace>…]: every service (or those named) compiled to JavaScript, one
// esbuild bundle per service.
//
// For the gateway and each subgraph in supergraph.yaml, <package>/src/index.ts becomes
// <package>/dist/index.js (+ .map), with the service's own code and the shared runtime
// (@cloudmart/runtime, imported by package name) compiled into it. Third-party packages stay
// external: they are loaded from node_modules at run time as in development, so native modules
// (argon2, @duckdb/node-api, koffi, librdkafka's binding), wasm files and the Prisma runtime are
// never copied or rewritten. Why a bundle and not tsc project references: docs/deploy.md "The build".
//
// Files read at run time by path keep working: a module's `__dirname` still means its source
// folder (see sourceDirname), so <package>/schema.graphql, prisma/migrations and the repository
// root (found from the runtime's folder) resolve exactly as they do under tsx.
import { spawnSync } from 'node:child_process';
import { readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { mkdir, readdir, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { build, type Plugin } from 'esbuild';
import { readSupergraphConfig, repoRoot } from '@cloudmart/runtime';

export interface ServiceBuild {
  /** The service's package folder, absolute. */
  packageDir: string;
  /** Output name (without .js) → source file, relative to packageDir. `index` is the service. */
  entries: Record<string, string>;
}

/**
 * Programs run in the images besides the services: the users database migration, which the
 * Kubernetes Job k8s/base/users-migrate-job.yaml runs as `node subgraphs/users/dist/migrate-deploy.js`.
 */
const extraEntries: Record<string, Record<string, string>> = {
  'subgraphs/users': { 'migrate-deploy': 'scripts/migrate-deploy.ts' },
};

/** The gateway and every subgraph in supergraph.yaml, each with its entry points. */
export function serviceBuilds(): ServiceBuild[] {
  const packageDirs = [
    path.join(repoRoot, 'gateway'),
    ...readSupergraphConfig().subgraphs.map((s) => s.packageDir),
  ];
  return packageDirs.map((packageDir) => ({
    packageDir,
    entries: {
      index: 'src/index.ts',
      ...extraEntries[path.relative(repoRoot, packageDir).split(path.sep).join('/')],
    },
  }));
}

/** Our workspaces are compiled in; every other bare import is a package loaded from node_modules. */
const externalPackages: Plugin = {
  name: 'external-packages',
  setup(builder) {
    builder.onResolve({ filter: /^[^./]/ }, (args) =>
      args.path.startsWith('@cloudmart/') ? undefined : { path: args.path, external: true },
    );
  },
};

/**
 * In a bundle every module shares the bundle's `__dirname` (<package>/dist). Code that reads a file
 * beside its source (`path.join(__dirname, '..', 'schema.graphql')`) means its source folder: give
 * each module that, as a path relative to the bundle, so the output still works wherever the
 * repository (or the image's /app) sits.
 */
function sourceDirname(outdir: string): Plugin {
  return {
    name: 'source-dirname',
    setup(builder) {
      builder.onLoad({ filter: /\.ts$/ }, (args) => {
        const source = readFileSync(args.path, 'utf8');
        if (!/\b__dirname\b/.test(source)) return undefined;
        const relative = path.relative(outdir, path.dirname(args.path)).split(path.sep).join('/');
        const expression = `require('node:path').join(__dirname, ${JSON.stringify(relative)})`;
        return { contents: source.replace(/\b__dirname\b/g, `(${expression})`), loader: 'ts' };
      });
    },
  };
}

export interface BuildResult {
  packageDir: string;
  outdir: string;
  /** Output files (JavaScript and source maps) with their sizes in bytes. */
  outputs: { file: string; bytes: number }[];
}

/**
 * Writes a build's files into `outdir`, each through a temporary file renamed over the old one, and
 * removes what the build no longer makes: a service started from dist/ meanwhile (by a test or
 * `npm run start:prod` beside a rebuild) reads the old file or the new one, never half of one.
 */
async function replaceOutputs(
  outdir: string,
  files: { path: string; contents: Uint8Array }[],
): Promise<void> {
  await mkdir(outdir, { recursive: true });
  for (const file of files) {
    const temporary = `${file.path}.${process.pid}.tmp`;
    await writeFile(temporary, file.contents);
    await rename(temporary, file.path);
  }
  const kept = new Set(files.map((file) => path.basename(file.path)));
  for (const name of await readdir(outdir)) {
    if (!kept.has(name) && !name.endsWith('.tmp'))
      await rm(path.join(outdir, name), { recursive: true, force: true });
  }
}

/** Compiles `services` (all of them unless told) into <package>/dist, replacing what was there. */
export async function buildServices(services = serviceBuilds()): Promise<BuildResult[]> {
  return Promise.all(
    services.map(async ({ packageDir, entries }) => {
      const outdir = path.join(packageDir, 'dist');
      const result = await build({
        // Metafile paths (checked by assertProductionOnly) are relative to the repository root.
        absWorkingDir: repoRoot,
        entryPoints: Object.fromEntries(
          Object.entries(entries).map(([name, file]) => [name, path.join(packageDir, file)]),
        ),
        outdir,
        bundle: true,
        platform: 'node',
        target: 'node24',
        format: 'cjs',
        sourcemap: true,
        // Stack traces need only the mappings; the sources are in the repository (and the image
        // stays smaller without a second copy of them).
        sourcesContent: false,
        // Class and function names appear in logs and errors.
        keepNames: true,
        metafile: true,
        write: false,
        logLevel: 'warning',
        plugins: [externalPackages, sourceDirname(outdir)],
      });
      assertProductionOnly(packageDir, Object.keys(result.metafile.inputs));
      await replaceOutputs(outdir, result.outputFiles);
      const outputs = Object.entries(result.metafile.outputs).map(([file, output]) => ({
        file: path.resolve(repoRoot, file),
        bytes: output.bytes,
      }));
      return { packageDir, outdir, outputs };
    }),
  );
}

/** Where development launchers and test helpers live: never compiled into a service. */
const devOnlyFolders = ['scripts/', 'test/', 'bench/'];

/**
 * Refuses a bundle that took in development or test code (a launcher, test-kit, a package's test/
 * folder) — an image carries production code only. `inputs` are the bundle's source files,
 * relative to the repository root as esbuild's metafile names them. `extraEntries` programs sit in
 * their package's own scripts/ folder and are production code.
 */
export function assertProductionOnly(packageDir: string, inputs: string[]): void {
  const packagePath = path.relative(repoRoot, packageDir).split(path.sep).join('/');
  const extras = Object.values(extraEntries[packagePath] ?? {}).map((entry) => `${packagePath}/${entry}`);
  const devInputs = inputs.filter((input) => {
    if (input.includes('node_modules/') || extras.includes(input)) return false;
    return devOnlyFolders.some((folder) => input.startsWith(folder)) || /(^|\/)test\//.test(input);
  });
  if (devInputs.length > 0) {
    throw new Error(`${packagePath}'s bundle would carry development or test code: ${devInputs.join(', ')}`);
  }
}

/**
 * The web client's persisted-query manifest, web/persisted-query-manifest.json (generated, not
 * committed): the gateway serves the storefront's operations by id from it, and the gateway's image
 * copies it. Made by the web package's own generator and config, as its build makes it, into a
 * file beside it that is then renamed: a gateway or test reading it meanwhile never sees half.
 */
export function writeWebManifest(): string {
  const webDir = path.join(repoRoot, 'web');
  const target = path.join(webDir, 'persisted-query-manifest.json');
  const config = (JSON.parse(readFileSync(path.join(webDir, 'package.json'), 'utf8')) as Record<string, object>)[
    'persisted-query-manifest'
  ];
  const partial = `${target}.${process.pid}.partial`;
  const configFile = `${partial}.config.json`;
  writeFileSync(configFile, JSON.stringify({ ...config, output: partial }));
  try {
    const run = spawnSync('npx', ['--no-install', 'generate-persisted-query-manifest', '--config', configFile], {
      cwd: webDir,
      encoding: 'utf8',
    });
    if (run.status !== 0) throw new Error(`generate-persisted-query-manifest failed:\n${run.stderr}${run.stdout}`);
    renameSync(partial, target);
  } finally {
    rmSync(configFile, { force: true });
    rmSync(partial, { force: true });
  }
  return target;
}

/** `npm run build [-- <workspace>…]`: the services in those folders (e.g. gateway), or all. */
async function main() {
  const started = Date.now();
  const only = process.argv.slice(2).map((workspace) => path.resolve(repoRoot, workspace));
  const services = serviceBuilds().filter(
    (service) => only.length === 0 || only.includes(service.packageDir),
  );
  if (services.length < only.length) throw new Error(`not a service: ${process.argv.slice(2).join(' ')}`);
  const results = await buildServices(services);
  if (services.some((service) => path.basename(service.packageDir) === 'gateway')) {
    console.log(`${path.relative(repoRoot, writeWebManifest())} (the storefront's operations the gateway serves by id)`);
  }
  for (const result of results) {
    const bytes = result.outputs.filter((o) => o.file.endsWith('.js')).reduce((sum, o) => sum + o.bytes, 0);
    console.log(
      `${path.relative(repoRoot, result.outdir).padEnd(30)} ${(bytes / 1024).toFixed(0).padStart(6)} KiB of JavaScript`,
    );
  }
  console.log(`Built ${results.length} services in ${((Date.now() - started) / 1000).toFixed(1)} s.`);
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
