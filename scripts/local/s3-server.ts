// A local S3 for `npm start` and the tests: @20minutes/s3rver, which checks request signatures
// (SigV4 headers and presigned query strings: a tampered, expired or wrong-key request, or a PUT
// whose Content-Type differs from the one signed, gets 403), unlike the original s3rver. Objects are
// files under its directory. Run with its own command line in a child process: it installs its
// logger's exception handlers in whatever process runs it.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { freePort } from './ports';

/** The only key pair s3rver accepts. */
export const LOCAL_S3_CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } as const;

/** The settings that point the products service (and its upload Lambda) at a local S3's `bucket`. */
export function localS3Env(s3: LocalS3, bucket: string) {
  return {
    S3_ENDPOINT: s3.endpoint,
    S3_ACCESS_KEY_ID: LOCAL_S3_CREDENTIALS.accessKeyId,
    S3_SECRET_ACCESS_KEY: LOCAL_S3_CREDENTIALS.secretAccessKey,
    MEDIA_BUCKET: bucket,
  };
}

export interface LocalS3 {
  /** The endpoint to give an S3 client (path-style: http://127.0.0.1:<port>). */
  endpoint: string;
  stop(): Promise<void>;
}

// The package ships its command line as lib/cli.js's parseAsync(argv), without the bin file.
const runCli = () => {
  const cli = path.join(path.dirname(createRequire(__filename).resolve('@20minutes/s3rver/package.json')), 'lib', 'cli.js');
  // Its standard input is a pipe from the process that started it: when that process is gone,
  // however it ended (SIGKILL included), the pipe closes and the server stops with it.
  return [
    "process.stdin.on('end', () => process.exit(0)).on('error', () => process.exit(0)).resume();",
    `require(${JSON.stringify(cli)}).parseAsync(['node', 's3rver', ...process.argv.slice(1)]).catch((error) => { console.error(error); process.exit(1); });`,
  ].join('\n');
};

/**
 * The buckets' CORS rules, as S3's PutBucketCors takes them: the web pages at `origins` may PUT an
 * upload with its content-type (a presigned URL) and read objects, as the production bucket allows
 * the shop's origins (infra/aws/modules/media).
 */
const corsXml = (origins: readonly string[]) => `<CORSConfiguration>
  <CORSRule>
${origins.map((origin) => `    <AllowedOrigin>${origin}</AllowedOrigin>`).join('\n')}
    <AllowedMethod>PUT</AllowedMethod>
    <AllowedMethod>GET</AllowedMethod>
    <AllowedMethod>HEAD</AllowedMethod>
    <AllowedHeader>content-type</AllowedHeader>
    <ExposeHeader>ETag</ExposeHeader>
    <MaxAgeSeconds>3600</MaxAgeSeconds>
  </CORSRule>
</CORSConfiguration>
`;

/**
 * Starts the local S3 on a free loopback port with `buckets` created, objects under `directory`
 * (kept across starts); resolves once it answers. With `corsOrigins`, web pages there may upload
 * to the buckets from the browser.
 */
export async function startLocalS3(options: {
  directory: string;
  buckets: readonly string[];
  corsOrigins?: readonly string[];
}): Promise<LocalS3> {
  mkdirSync(options.directory, { recursive: true });
  let cors: string | undefined;
  if (options.corsOrigins?.length) {
    cors = path.join(options.directory, '.cors.xml');
    writeFileSync(cors, corsXml(options.corsOrigins));
  }
  const port = await freePort();
  const args = ['--directory', options.directory, '--address', '127.0.0.1', '--port', String(port), '--silent'];
  // Buckets by path (http://host/bucket/key), as the clients are configured (forcePathStyle).
  args.push('--no-vhost-buckets');
  for (const bucket of options.buckets) args.push('--configure-bucket', bucket, ...(cors ? [cors] : []));
  const child: ChildProcess = spawn(process.execPath, ['-e', runCli(), '--', ...args], { stdio: ['pipe', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4_000)));
  const endpoint = `http://127.0.0.1:${port}`;
  for (let attempt = 0; !(await answers(endpoint)); attempt += 1) {
    if (attempt > 200 || child.exitCode !== null) {
      child.kill('SIGKILL');
      throw new Error(`the local S3 did not answer on port ${port}: ${stderr}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return {
    endpoint,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

/** Any HTTP answer (an unsigned request gets 403) means it is listening. */
const answers = (endpoint: string) =>
  fetch(endpoint, { signal: AbortSignal.timeout(1_000) }).then(
    (response) => (void response.body?.cancel(), true),
    () => false,
  );
