import { performance } from 'node:perf_hooks';
import type { Logger } from './logger';

export interface EventLoopWatchdogOptions {
  /** A stall of the event loop longer than this makes the process unhealthy. */
  maxBlockMs: number;
  /**
   * How long after such a stall the process still reports it: at least one liveness probe period,
   * so a replica that stalls now and then is seen, not only one that is stalled when probed.
   */
  holdMs: number;
  /** How often the loop is sampled. */
  intervalMs?: number;
  log?: Logger;
}

export interface EventLoopBlock {
  /** How long the loop was blocked. */
  blockedMs: number;
  /** How long ago the block ended. */
  endedMsAgo: number;
}

/**
 * Notices when this process's event loop stops turning. A timer samples the loop; when a tick
 * arrives late by more than `maxBlockMs`, the block is logged and reported by `lastBlock()` for
 * `holdMs`. While the loop is blocked nothing in the process can answer, the liveness probe
 * included: Kubernetes' probe times out, which fails it too (docs/observability.md).
 */
export class EventLoopWatchdog {
  private timer: NodeJS.Timeout | undefined;
  private lastTick = 0;
  private last: { blockedMs: number; endedAt: number } | undefined;

  constructor(private options: EventLoopWatchdogOptions) {}

  /**
   * New settings; stalls seen so far are forgotten (a process's start-up compiles, migrates and
   * loads synchronously: its stalls are not a sign of a stuck service).
   */
  configure(options: Partial<EventLoopWatchdogOptions>): void {
    this.options = { ...this.options, ...options };
    this.last = undefined;
    if (this.timer) {
      this.stop();
      this.start();
    }
  }

  start(): void {
    if (this.timer) return;
    const interval = this.options.intervalMs ?? 100;
    this.lastTick = performance.now();
    this.timer = setInterval(() => {
      const now = performance.now();
      const blockedMs = now - this.lastTick - interval;
      this.lastTick = now;
      if (blockedMs > this.options.maxBlockMs) {
        this.last = { blockedMs, endedAt: now };
        this.options.log?.warn({ blockedMs: Math.round(blockedMs) }, 'event loop was blocked');
      }
    }, interval);
    this.timer.unref(); // never what keeps a process alive
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  /** The last block over the bound, while it is within the hold window; undefined otherwise. */
  lastBlock(now = performance.now()): EventLoopBlock | undefined {
    if (!this.last) return undefined;
    const endedMsAgo = now - this.last.endedAt;
    if (endedMsAgo > this.options.holdMs) return undefined;
    return { blockedMs: Math.round(this.last.blockedMs), endedMsAgo: Math.round(endedMsAgo) };
  }
}

/** Defaults of EVENT_LOOP_MAX_BLOCK_MS and EVENT_LOOP_BLOCK_HOLD_MS (config.ts). */
export const DEFAULT_EVENT_LOOP_MAX_BLOCK_MS = 2_000;
export const DEFAULT_EVENT_LOOP_BLOCK_HOLD_MS = 15_000;

/**
 * One event loop per process, so one watchdog: `/health` of every server in the process reads it.
 * It reports nothing until `runMain` arms it once the service has started (holdMs 0 until then):
 * a process that runs several services (the test harness) starts and restarts them at any time,
 * and one service's start-up would fail every other one's liveness.
 */
export const processWatchdog = new EventLoopWatchdog({ maxBlockMs: DEFAULT_EVENT_LOOP_MAX_BLOCK_MS, holdMs: 0 });
