// npm run images [-- --registry <host> --push --dry-run --only gateway,orders --platform linux/amd64]
// Builds one image per service (the gateway and every subgraph in supergraph.yaml) from
// docker/service.Dockerfile, tagged with `git describe` and the commit: <registry>/cloudmart/<service>:<tag>.
// --dry-run prints the docker commands instead of running them (no Docker engine needed);
// --list prints the services' names, one line, for scripts (the deploy workflow).
import { execFileSync, spawnSync } from 'node:child_process';
import { repoRoot } from '@cloudmart/runtime';
import { deployServices, type DeployService } from './deploy/services';

export interface ImageOptions {
  registry?: string;
  push: boolean;
  only?: string[];
  platform?: string;
  tag: string;
  revision: string;
}

/** A Docker tag from `git describe` (letters, digits, `_`, `.`, `-`; at most 128 characters). */
export const dockerTag = (text: string) =>
  text
    .replace(/[^\w.-]/g, '-')
    .replace(/^[.-]+/, '')
    .slice(0, 128);

export function gitVersion(): { tag: string; revision: string } {
  const git = (...args: string[]) => execFileSync('git', args, { cwd: repoRoot, encoding: 'utf8' }).trim();
  return {
    tag: dockerTag(git('describe', '--tags', '--always', '--dirty')),
    revision: git('rev-parse', 'HEAD'),
  };
}

export const imageName = (service: DeployService, registry?: string) =>
  `${registry ? `${registry.replace(/\/$/, '')}/` : ''}cloudmart/${service.name}`;

/** The docker commands, as argument lists, that build (and push) the images. */
export function imageCommands(options: ImageOptions, services = deployServices()): string[][] {
  const selected = options.only
    ? services.filter((service) => options.only!.includes(service.name))
    : services;
  const unknown = (options.only ?? []).filter((name) => !services.some((service) => service.name === name));
  if (unknown.length > 0) throw new Error(`unknown service(s): ${unknown.join(', ')}`);
  const commands: string[][] = [];
  for (const service of selected) {
    const name = imageName(service, options.registry);
    const tags = [`${name}:${options.tag}`, `${name}:sha-${options.revision.slice(0, 12)}`];
    commands.push([
      'docker',
      'build',
      '--file',
      'docker/service.Dockerfile',
      '--build-arg',
      `WORKSPACE=${service.workspace}`,
      '--build-arg',
      `PORT=${service.port}`,
      '--label',
      `org.opencontainers.image.title=cloudmart-${service.name}`,
      '--label',
      `org.opencontainers.image.revision=${options.revision}`,
      '--label',
      `org.opencontainers.image.version=${options.tag}`,
      ...(options.platform ? ['--platform', options.platform] : []),
      ...tags.flatMap((tag) => ['--tag', tag]),
      '.',
    ]);
    if (options.push) for (const tag of tags) commands.push(['docker', 'push', tag]);
  }
  return commands;
}

const shellQuote = (arg: string) => (/^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`);

function parseArgs(argv: string[]) {
  const value = (flag: string) => {
    const index = argv.indexOf(flag);
    return index >= 0 ? argv[index + 1] : undefined;
  };
  return {
    dryRun: argv.includes('--dry-run'),
    push: argv.includes('--push'),
    registry: value('--registry') ?? process.env.IMAGE_REGISTRY,
    only: value('--only')?.split(',').filter(Boolean),
    platform: value('--platform'),
    tag: value('--tag'),
    list: argv.includes('--list'),
  };
}

function main() {
  const args = parseArgs(process.argv.slice(2));
  if (args.list) {
    console.log(
      deployServices()
        .map((service) => service.name)
        .join(' '),
    );
    return;
  }
  const version = gitVersion();
  const commands = imageCommands({
    ...args,
    tag: args.tag ? dockerTag(args.tag) : version.tag,
    revision: version.revision,
  });
  for (const command of commands) {
    console.log(command.map(shellQuote).join(' '));
    if (args.dryRun) continue;
    const result = spawnSync(command[0]!, command.slice(1), { cwd: repoRoot, stdio: 'inherit' });
    if (result.error) throw result.error;
    if (result.status !== 0) process.exit(result.status ?? 1);
  }
}

if (require.main === module) main();
