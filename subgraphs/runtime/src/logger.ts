import pino, { type Logger } from 'pino';

export type { Logger };

/**
 * Structured JSON logs, one line per event, with the service name on every line.
 * Secrets that may pass through request logging are redacted.
 */
export function createLogger(service: string, level: string = process.env.LOG_LEVEL ?? 'info'): Logger {
  return pino({
    name: service,
    level,
    base: { service },
    redact: {
      paths: ['req.headers.authorization', 'req.headers.cookie', 'password', '*.password', 'token', '*.token'],
      censor: '[redacted]',
    },
  });
}
