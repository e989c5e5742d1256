import type { Logger } from './logger';

/** Closes one resource; what it returns (if anything) is awaited and ignored. */
export type Close = () => unknown;

/** A resource that knows how to close itself: its close(), or stop() when it has no close(). */
export type Closable = { close(): unknown } | { stop(): unknown };

/**
 * What a process has opened, closed last-opened first. Each resource is registered the moment it
 * is opened, so a start-up that fails half-way closes exactly what it had opened, and a stop
 * closes every consumer before the bus or store it reads from.
 */
export class CloseStack {
  private readonly closes: Close[] = [];

  /** Registers a resource just opened and hands it back; closed by its own close() or stop(). */
  add<T extends Closable>(resource: T): T {
    this.closes.push(() => ('close' in resource ? resource.close() : resource.stop()));
    return resource;
  }

  /** Registers a clean-up that has no resource to hand back (a stop function, a timer). */
  defer(close: Close): void {
    this.closes.push(close);
  }

  /**
   * Runs every registered close, last first, each once. A close that fails does not keep the
   * ones below it open: they still run, and the failure is thrown at the end.
   */
  async close(): Promise<void> {
    const failures: unknown[] = [];
    for (let close = this.closes.pop(); close; close = this.closes.pop()) {
      try {
        await close();
      } catch (error) {
        failures.push(error);
      }
    }
    if (failures.length === 1) throw failures[0];
    if (failures.length > 1)
      throw new AggregateError(failures, `${failures.length} resources failed to close`);
  }

  /**
   * Runs a start-up that registers what it opens on this stack. If it throws at any step, what it
   * had opened is closed (a failure to close is logged) and the start-up's own error is rethrown.
   */
  async closeOnFailure<T>(log: Logger, start: () => Promise<T>): Promise<T> {
    try {
      return await start();
    } catch (error) {
      await this.close().catch((closeError: unknown) =>
        log.error({ err: closeError }, 'closing after a failed start failed too'),
      );
      throw error;
    }
  }
}
