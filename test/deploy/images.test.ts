// docker/service.Dockerfile and `npm run images`. No Docker engine runs here (and hadolint is
// not packaged for Debian 12), so the Dockerfile is checked structurally and the image build
// through its --dry-run output.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { repoRoot } from '@cloudmart/runtime';
import { compiledEntry, serviceCommand } from '@cloudmart/scripts/service-command';

interface Instruction {
  keyword: string;
  args: string;
  stage: number;
}

/** Dockerfile instructions with continuation lines joined and comments dropped. */
function instructions(text: string): Instruction[] {
  const joined = text
    .split('\n')
    .filter((line) => !/^\s*#/.test(line))
    .join('\n')
    .replace(/\\\n/g, ' ');
  let stage = -1;
  return joined
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean)
    .map((line) => {
      const [, keyword = '', args = ''] = /^(\S+)\s*(.*)$/.exec(line) ?? [];
      if (keyword.toUpperCase() === 'FROM') stage += 1;
      return { keyword: keyword.toUpperCase(), args, stage };
    });
}

const dockerfile = readFileSync(path.join(repoRoot, 'docker', 'service.Dockerfile'), 'utf8');
const all = instructions(dockerfile);
const froms = all.filter((instruction) => instruction.keyword === 'FROM');
const lastStage = froms.length - 1;
const final = all.filter((instruction) => instruction.stage === lastStage);
const subgraphs = parse(readFileSync(path.join(repoRoot, 'supergraph.yaml'), 'utf8')) as {
  subgraphs: Record<string, { routing_url: string; schema: { file: string } }>;
};

describe('docker/service.Dockerfile', () => {
  it('is multi-stage, every stage on the same pinned node 24 slim base', () => {
    expect(froms.length).toBeGreaterThanOrEqual(3);
    const base = /^ARG NODE_IMAGE=(\S+)$/m.exec(dockerfile)?.[1];
    expect(base).toMatch(/^node:24\.\d+\.\d+-[a-z]+-slim$/);
    for (const from of froms) expect(from.args).toMatch(/^\$\{NODE_IMAGE\} AS [a-z-]+$/);
    // the final image copies from earlier stages instead of building in place
    expect(
      final.filter((instruction) => instruction.keyword === 'COPY' && instruction.args.includes('--from='))
        .length,
    ).toBeGreaterThanOrEqual(2);
    expect(final.some((instruction) => instruction.keyword === 'RUN')).toBe(false);
  });

  it('runs the final image as a non-root user', () => {
    const users = final.filter((instruction) => instruction.keyword === 'USER');
    expect(users).toHaveLength(1);
    expect(users[0]!.args).not.toMatch(/^(root|0)(:|$)/);
    // nothing after USER switches back or changes files
    const afterUser = final.slice(final.indexOf(users[0]!) + 1).map((instruction) => instruction.keyword);
    expect(afterUser.filter((keyword) => ['USER', 'RUN', 'COPY', 'ADD'].includes(keyword))).toEqual([]);
  });

  it('has a HEALTHCHECK on /health and an exec-form CMD that runs the compiled entry with plain node', () => {
    const healthcheck = final.find((instruction) => instruction.keyword === 'HEALTHCHECK');
    expect(healthcheck?.args).toMatch(/CMD .*\/health/);
    const cmd = final.find((instruction) => instruction.keyword === 'CMD')!;
    const argv = JSON.parse(cmd.args) as string[];
    // serviceCommand's compiled form, with the entry from SERVICE_MAIN
    const compiled = serviceCommand('$WORKSPACE', 'compiled').args.slice(0, -1).join(' ');
    expect(argv.join(' ')).toBe(`/bin/sh -c exec node ${compiled} "$SERVICE_MAIN"`);
    expect(dockerfile).toMatch(/SERVICE_MAIN=\$\{WORKSPACE\}\/dist\/index\.js/);
    expect(compiledEntry('$WORKSPACE')).toBe(path.join('$WORKSPACE', 'dist', 'index.js'));
  });

  it('compiles in the build stage; the runtime stage has no tsx, esbuild or TypeScript, and no sources', () => {
    const build = all.filter(
      (instruction) => instruction.stage === froms.findIndex((from) => / AS build$/.test(from.args)),
    );
    expect(
      build.some(
        (instruction) =>
          instruction.keyword === 'RUN' && /npm run build -- "\$\{WORKSPACE\}"/.test(instruction.args),
      ),
    ).toBe(true);
    const runtimeText = final.map((instruction) => `${instruction.keyword} ${instruction.args}`).join('\n');
    expect(runtimeText).not.toMatch(/\btsx\b|esbuild|typescript|\bts-node\b|--import|--loader/i);
    expect(runtimeText).not.toMatch(/\/src\b|\.ts\b/);
    // what the runtime stage copies from the build stage has had its sources removed there
    expect(dockerfile).toMatch(/rm -rf [^\n]*"\/out\/\$\{WORKSPACE\}\/src"/);
    // tsx is no production dependency of any package the image installs (--omit=dev)
    for (const manifest of [
      'subgraphs/runtime/package.json',
      'gateway/package.json',
      ...Object.keys(subgraphs.subgraphs).map((name) => `subgraphs/${name}/package.json`),
    ]) {
      const { dependencies = {} } = JSON.parse(readFileSync(path.join(repoRoot, manifest), 'utf8')) as {
        dependencies?: Record<string, string>;
      };
      expect([
        manifest,
        Object.keys(dependencies).filter((name) =>
          ['tsx', 'esbuild', 'typescript', 'ts-node'].includes(name),
        ),
      ]).toEqual([manifest, []]);
    }
  });

  it('applies patches/ (patch-package, skipped by --ignore-scripts) to the production dependencies', () => {
    const prodInstall = all.find(
      (instruction) => instruction.keyword === 'RUN' && instruction.args.includes('--omit=dev'),
    )!;
    expect(prodInstall.args).toMatch(/patch-package@.*--patch-dir \.patches-applicable --error-on-fail/);
    const stage = all.filter((instruction) => instruction.stage === prodInstall.stage);
    expect(
      stage.some((instruction) => instruction.keyword === 'COPY' && instruction.args === 'patches patches'),
    ).toBe(true);
    // each patch file names a package the shell loop can find (scope+name+version.patch)
    for (const patch of readdirSync(path.join(repoRoot, 'patches')))
      expect(patch).toMatch(/^(@[\w.-]+\+)?[\w.-]+\+[\w.-]+\.patch$/);
  });

  it('builds the Kafka client\'s native addon (its install script, skipped by --ignore-scripts) and checks that it loads', () => {
    const prodInstall = all.find(
      (instruction) => instruction.keyword === 'RUN' && instruction.args.includes('--omit=dev'),
    )!;
    expect(prodInstall.args).toMatch(/npm rebuild @confluentinc\/kafka-javascript/);
    expect(prodInstall.args).toMatch(/node -e "require\('@confluentinc\/kafka-javascript'\)"/);
  });

  it('uses no ADD, no latest tag, and installs only production dependencies into the final image', () => {
    expect(all.some((instruction) => instruction.keyword === 'ADD')).toBe(false);
    expect(dockerfile).not.toMatch(/:latest\b/);
    const prodInstall = all.find(
      (instruction) => instruction.keyword === 'RUN' && instruction.args.includes('--omit=dev'),
    );
    expect(prodInstall?.args).toMatch(/--workspace "\$\{WORKSPACE\}"/);
    const prodStage = prodInstall!.stage;
    expect(
      final.some((instruction) =>
        instruction.args.includes(`--from=${/AS (\S+)$/.exec(froms[prodStage]!.args)![1]}`),
      ),
    ).toBe(true);
  });

  it('keeps node_modules and local data out of the build context', () => {
    const ignore = readFileSync(path.join(repoRoot, '.dockerignore'), 'utf8').split('\n');
    expect(ignore).toEqual(expect.arrayContaining(['**/node_modules', '.git', '.data']));
  });
});

describe('npm run images', () => {
  const run = (...args: string[]) =>
    spawnSync(
      process.execPath,
      ['--import', 'tsx', path.join(repoRoot, 'scripts', 'build-images.ts'), '--dry-run', ...args],
      {
        cwd: repoRoot,
        encoding: 'utf8',
      },
    );
  const git = (...args: string[]) =>
    spawnSync('git', args, { cwd: repoRoot, encoding: 'utf8' }).stdout.trim();

  it('prints one docker build per service, tagged from git describe and the commit, and the pushes', () => {
    const result = run('--registry', '111122223333.dkr.ecr.us-east-1.amazonaws.com', '--push');
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const lines = result.stdout.trim().split('\n');
    const builds = lines.filter((line) => line.startsWith('docker build '));
    const services = ['gateway', ...Object.keys(subgraphs.subgraphs)];
    expect(builds).toHaveLength(services.length);
    const describe = git('describe', '--tags', '--always', '--dirty').replace(/[^\w.-]/g, '-');
    const sha = git('rev-parse', 'HEAD');
    for (const service of services) {
      const build = builds.find((line) => line.includes(`/cloudmart/${service}:`))!;
      const repository = `111122223333.dkr.ecr.us-east-1.amazonaws.com/cloudmart/${service}`;
      expect(build).toContain(`--tag ${repository}:${describe}`);
      expect(build).toContain(`--tag ${repository}:sha-${sha.slice(0, 12)}`);
      expect(build).toContain(`org.opencontainers.image.revision=${sha}`);
      expect(build).toMatch(/--file docker\/service\.Dockerfile .* \.$/);
      const workspace = /--build-arg WORKSPACE=(\S+)/.exec(build)![1]!;
      expect(existsSync(path.join(repoRoot, workspace, 'src', 'index.ts'))).toBe(true);
      const port = Number(/--build-arg PORT=(\d+)/.exec(build)![1]);
      expect(port).toBe(
        service === 'gateway' ? 4000 : Number(new URL(subgraphs.subgraphs[service]!.routing_url).port),
      );
      expect(lines).toContain(`docker push ${repository}:${describe}`);
      expect(lines).toContain(`docker push ${repository}:sha-${sha.slice(0, 12)}`);
    }
  });

  it('builds only the services asked for, and refuses unknown ones', () => {
    const result = run('--only', 'gateway,users', '--tag', 'v1.2.3');
    expect(result.stdout.trim().split('\n')).toEqual([
      expect.stringMatching(/^docker build .*--tag cloudmart\/gateway:v1\.2\.3 /),
      expect.stringMatching(
        /^docker build .*--build-arg WORKSPACE=subgraphs\/users .*--tag cloudmart\/users:v1\.2\.3 /,
      ),
    ]);
    const unknown = run('--only', 'nope');
    expect(unknown.status).not.toBe(0);
    expect(unknown.stderr).toMatch(/unknown service\(s\): nope/);
  });
});
