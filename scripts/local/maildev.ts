// A local mail server for `npm start` and the tests: MailDev 3 (an SMTP server that keeps every
// message and shows it in a web inbox, with a REST API under /api). The notifications service
// sends its emails, and locally its texts, to it. Run with its own command line in a child
// process, both servers on 127.0.0.1 (MailDev binds every interface by default), messages as .eml
// files under its directory.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import net from 'node:net';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { freePort } from './ports';
import { makeTempDir } from './temp-dir';

export interface LocalMailDev {
  /** Where to send: smtp://127.0.0.1:<port> (no authentication, no TLS). */
  smtpUrl: string;
  /** The web inbox, for a person. */
  inboxUrl: string;
  /** The REST API's base (GET <apiUrl>/api/email…): the same server as the inbox. */
  apiUrl: string;
  stop(): Promise<void>;
}

// The package's command line is an ES module that parses process.argv when imported. Under
// `node -e`, commander takes the arguments after the script as the user's.
const runCli = () => {
  // The package exports only its ESM entry (no package.json, no require condition): look for
  // its folder where Node would.
  const root = (createRequire(__filename).resolve.paths('maildev') ?? [])
    .map((folder) => path.join(folder, 'maildev'))
    .find((folder) => existsSync(path.join(folder, 'package.json')));
  if (!root) throw new Error('the maildev package is not installed (a dependency of @cloudmart/scripts)');
  const cli = pathToFileURL(path.join(root, 'dist', 'bin', 'maildev.js')).href;
  // Its standard input is a pipe from the process that started it: when that process is gone,
  // however it ended (SIGKILL included), the pipe closes and the server stops with it.
  return [
    "process.stdin.on('end', () => process.exit(0)).on('error', () => process.exit(0)).resume();",
    `import(${JSON.stringify(cli)}).catch((error) => { console.error(error); process.exit(1); });`,
  ].join('\n');
};

/**
 * Starts MailDev on two free loopback ports (or the ones given), messages under `directory` (a
 * fresh temporary folder, removed on stop, when not given); resolves once both ports accept
 * connections.
 */
export async function startMailDev(
  options: { directory?: string; smtpPort?: number; webPort?: number } = {},
): Promise<LocalMailDev> {
  const temporary = options.directory === undefined ? makeTempDir('maildev') : undefined;
  const directory = options.directory ?? temporary!.dir;
  mkdirSync(directory, { recursive: true });
  const smtpPort = options.smtpPort ?? (await freePort());
  let webPort = options.webPort ?? (await freePort());
  while (webPort === smtpPort) webPort = await freePort();
  const args = [
    '--smtp',
    String(smtpPort),
    '--ip',
    '127.0.0.1',
    '--web',
    String(webPort),
    '--web-ip',
    '127.0.0.1',
    '--mail-directory',
    directory,
    '--silent',
  ];
  // MAILDEV_* variables and a maildev config file in the working directory would override
  // nothing we pass, but could add options (auth, relay): keep both out.
  const env = Object.fromEntries(
    Object.entries(process.env).filter(([name]) => !name.startsWith('MAILDEV_')),
  );
  const child: ChildProcess = spawn(process.execPath, ['-e', runCli(), '--', ...args], {
    cwd: directory,
    env,
    stdio: ['pipe', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4_000)));
  const apiUrl = `http://127.0.0.1:${webPort}`;
  for (
    let attempt = 0;
    !((await accepts(smtpPort)) && (await answers(`${apiUrl}/api/healthz`)));
    attempt += 1
  ) {
    if (attempt > 300 || child.exitCode !== null) {
      child.kill('SIGKILL');
      temporary?.remove();
      throw new Error(`MailDev did not start on ports ${smtpPort} (SMTP) and ${webPort} (web): ${stderr}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return {
    smtpUrl: `smtp://127.0.0.1:${smtpPort}`,
    inboxUrl: `${apiUrl}/`,
    apiUrl,
    stop: () =>
      new Promise<void>((resolve) => {
        const done = () => {
          temporary?.remove();
          resolve();
        };
        if (child.exitCode !== null || child.signalCode !== null) return done();
        child.once('exit', done);
        child.kill('SIGTERM');
      }),
  };
}

const accepts = (port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    socket.setTimeout(1_000);
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('timeout', () => (socket.destroy(), resolve(false)));
    socket.once('error', () => resolve(false));
  });

const answers = (url: string) =>
  fetch(url, { signal: AbortSignal.timeout(1_000) }).then(
    (response) => (void response.body?.cancel(), response.ok),
    () => false,
  );
