import { createLogger } from './logger';
import { processWatchdog } from './event-loop-watchdog';
import { baseConfigSchema, loadConfig } from './config';
import { startTracing } from './observability';

/**
 * Runs a service's start function as the process's main: a configuration error is printed as
 * a readable message (exit 1), and SIGTERM or SIGINT stop it gracefully, with a deadline.
 */
export function runMain(service: string, start: () => Promise<{ stop(): Promise<void> }>): void {
  const log = createLogger(service);
  let watchdogSettings: { maxBlockMs: number; holdMs: number };
  try {
    const { EVENT_LOOP_MAX_BLOCK_MS, EVENT_LOOP_BLOCK_HOLD_MS } = loadConfig(baseConfigSchema);
    watchdogSettings = { maxBlockMs: EVENT_LOOP_MAX_BLOCK_MS, holdMs: EVENT_LOOP_BLOCK_HOLD_MS };
  } catch (error) {
    console.error((error as Error).message);
    process.exit(1);
  }
  const fail = (error: unknown) => {
    if (error instanceof Error && error.name === 'ConfigError') console.error(error.message);
    else log.fatal({ err: error }, 'failed to start');
    process.exit(1);
  };
  // Traces go to an OpenTelemetry collector when one is configured; otherwise tracing is a no-op.
  // Registered before the service starts, so that its first spans have a provider.
  const starting = startTracing({
    service,
    otlpEndpoint: process.env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT || undefined,
  }).then(async (tracing) => ({ tracing, running: await start() }));
  starting.then(({ tracing, running }) => {
    // The process's one event loop, watched from the end of start-up (the liveness probe).
    processWatchdog.configure({ ...watchdogSettings, log });
    processWatchdog.start();
    let stopping = false;
    const shutdown = (signal: string) => {
      if (stopping) return;
      stopping = true;
      log.info({ signal }, 'shutting down');
      const deadline = setTimeout(() => process.exit(1), 10_000);
      deadline.unref();
      running.stop().then(
        async () => {
          await tracing?.shutdown().catch(() => undefined); // flushes the last spans
          process.exit(0);
        },
        (error: unknown) => {
          log.error({ err: error }, 'error while shutting down');
          process.exit(1);
        },
      );
    };
    process.on('SIGTERM', () => shutdown('SIGTERM'));
    process.on('SIGINT', () => shutdown('SIGINT'));
    // Started by the local launcher (npm start) over an IPC channel: if the launcher dies,
    // even by SIGKILL, the channel closes and this service stops instead of lingering.
    if (process.send) process.on('disconnect', () => shutdown('launcher gone'));
  }, fail);
}
