import { Redis } from 'ioredis';
import type { Logger } from './logger';

type ScriptCommand = (key: string, ...args: (string | number)[]) => Promise<unknown>;

/** How long a script may take before the caller's in-memory answer is used instead. */
const COMMAND_TIMEOUT_MS = 1_000;

/**
 * The Redis side of a limit that every replica shares (rate limits, failed attempts): Lua scripts
 * that each read and write one key atomically. If Redis cannot answer, `run` returns the caller's
 * in-memory answer instead, so each replica limits on its own until Redis is back, rather than
 * refusing every caller or letting every request through. Once connected, a lost connection is
 * not waited for: requests get the in-memory answer at once until Redis is ready again.
 */
export class RedisScripts<Name extends string> {
  private readonly redis: Redis;
  private connectedOnce = false;
  private degraded = false;

  constructor(
    url: string,
    /** Lua by name; each name becomes a method of the connection, so prefix it ('cloudmart…'). */
    scripts: Record<Name, string>,
    private readonly log: Logger,
    /** What is limited, for the logs. */
    private readonly what: string,
  ) {
    // The offline queue holds the first requests while the connection is first made.
    this.redis = new Redis(url, { maxRetriesPerRequest: 1, enableOfflineQueue: true, commandTimeout: COMMAND_TIMEOUT_MS });
    this.redis.on('error', (error: unknown) => log.warn({ err: error }, `redis (${what}) error`));
    this.redis.on('ready', () => {
      this.connectedOnce = true;
    });
    // defineCommand sends each script once and then calls it by its SHA (EVALSHA).
    for (const [name, lua] of Object.entries<string>(scripts)) this.redis.defineCommand(name, { numberOfKeys: 1, lua });
  }

  /** Runs script `name` on `key`; `fallback` answers when Redis cannot (logged). */
  async run<T>(
    name: Name,
    key: string,
    args: readonly (string | number)[],
    read: (reply: unknown) => T,
    fallback: () => T | Promise<T>,
  ): Promise<T> {
    if (this.connectedOnce && this.redis.status !== 'ready') return this.fallBack(fallback);
    try {
      // Commands that defineCommand adds exist only at run time: ioredis cannot type them.
      const command = (this.redis as unknown as Record<Name, ScriptCommand>)[name];
      const answer = read(await command.call(this.redis, key, ...args));
      if (this.degraded) this.log.info(`${this.what}: Redis answers again, limits are shared again`);
      this.degraded = false;
      return answer;
    } catch (error) {
      return this.fallBack(fallback, error);
    }
  }

  /** Logged once per outage: during one, every request falls back. */
  private fallBack<T>(fallback: () => T | Promise<T>, error?: unknown): T | Promise<T> {
    if (!this.degraded) this.log.warn({ err: error }, `${this.what}: Redis unavailable, limiting on this replica`);
    this.degraded = true;
    return fallback();
  }

  async close(): Promise<void> {
    await this.redis.quit().catch(() => this.redis.disconnect());
  }
}
