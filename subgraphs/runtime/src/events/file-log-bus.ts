// The zero-install default of the event bus: an append-only log file per topic under
// DATA_DIR/events, shared by every process of this machine (`npm start` runs each subgraph and
// the gateway in a process of its own, so a log in one process's memory would reach no one).
// It is NOT Kafka: one partition, no replication, and a consumer group is a committed byte offset
// in a file, with one active member per group at a time (two processes in one group would both
// get every event). It keeps what Kafka would keep across restarts, which is what local
// development needs; set EVENT_BUS=kafka for a real broker.
//
// Layout: <dir>/<topic>.log holds one JSON envelope per line; <dir>/<topic>.groups/<group>
// holds the group's committed offset (the byte just past the last handled line).
import { mkdirSync, watch, type FSWatcher } from 'node:fs';
import { open, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Logger } from 'pino';
import type { EventBus, EventHandler, SubscribeOptions, Subscription } from './event-bus';
import { orderEventsTopic, type EventEnvelope, type TopicSpec } from './envelope';

/** New lines are noticed through fs.watch; this poll is the fallback where watching misses. */
const POLL_MS = 250;
const READ_CHUNK_BYTES = 1 << 20;
const RETRY_MS = { first: 50, max: 2_000 };

export interface FileLogEventBusOptions<E = EventEnvelope> {
  dir: string;
  /** The topic's file name; default the spec's name. */
  topic?: string;
  /** Default: the order events (orders.events). */
  spec?: TopicSpec<E>;
  log?: Logger;
}

export class FileLogEventBus<E = EventEnvelope> implements EventBus<E> {
  private readonly file: string;
  private readonly groupsDir: string;
  private readonly subscriptions = new Set<FileLogSubscription<E>>();
  private readonly parse: (json: string) => E;
  private closed = false;

  constructor(private readonly options: FileLogEventBusOptions<E>) {
    const spec = options.spec ?? (orderEventsTopic as unknown as TopicSpec<E>);
    this.parse = spec.parse;
    const topic = options.topic ?? spec.name;
    if (!/^[\w.-]+$/.test(topic)) throw new Error(`invalid topic name: ${topic}`);
    this.file = path.join(options.dir, `${topic}.log`);
    this.groupsDir = path.join(options.dir, `${topic}.groups`);
    mkdirSync(this.groupsDir, { recursive: true });
  }

  async publish(events: readonly E[]): Promise<void> {
    if (this.closed) throw new Error('the event bus is closed');
    if (events.length === 0) return;
    // One O_APPEND write per batch: appends from several processes never interleave mid-line.
    const handle = await open(this.file, 'a');
    try {
      await handle.write(events.map((event) => `${JSON.stringify(event)}\n`).join(''));
      await handle.datasync(); // durably appended before publish() resolves, as the port promises
    } finally {
      await handle.close();
    }
  }

  async subscribe(groupId: string, handler: EventHandler<E>, options: SubscribeOptions = {}): Promise<Subscription> {
    if (this.closed) throw new Error('the event bus is closed');
    if (!/^[\w.-]+$/.test(groupId)) throw new Error(`invalid consumer group name: ${groupId}`);
    const offsetFile = path.join(this.groupsDir, groupId);
    let offset = await readOffset(offsetFile);
    if (offset === undefined) {
      offset = options.from === 'latest' ? await sizeOf(this.file) : 0;
      await commitOffset(offsetFile, offset);
    }
    const subscription = new FileLogSubscription(this.file, offsetFile, offset, handler, this.parse, this.options.log);
    this.subscriptions.add(subscription);
    subscription.start();
    return {
      stop: async () => {
        this.subscriptions.delete(subscription);
        await subscription.stop();
        if (options.ephemeral) await rm(offsetFile, { force: true });
      },
    };
  }

  async lag(groupId: string): Promise<number> {
    const from = (await readOffset(path.join(this.groupsDir, groupId))) ?? 0;
    let handle;
    try {
      handle = await open(this.file, 'r');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 0;
      throw error;
    }
    try {
      // Complete lines after the offset, counted a chunk at a time.
      const buffer = Buffer.alloc(READ_CHUNK_BYTES);
      let lines = 0;
      for (let position = from; ; ) {
        const { bytesRead } = await handle.read(buffer, 0, buffer.length, position);
        if (bytesRead === 0) return lines;
        for (let i = buffer.indexOf(10); i !== -1 && i < bytesRead; i = buffer.indexOf(10, i + 1)) lines += 1;
        position += bytesRead;
      }
    } finally {
      await handle.close();
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    const subscriptions = [...this.subscriptions];
    this.subscriptions.clear();
    await Promise.all(subscriptions.map((subscription) => subscription.stop()));
  }
}

class FileLogSubscription<E> {
  private running = true;
  private loop?: Promise<void>;
  private watcher?: FSWatcher;
  private wake?: () => void;

  constructor(
    private readonly file: string,
    private readonly offsetFile: string,
    private offset: number,
    private readonly handler: EventHandler<E>,
    private readonly parse: (json: string) => E,
    private readonly log: Logger | undefined,
  ) {}

  start() {
    try {
      // Watch the folder: the log file may not exist yet.
      this.watcher = watch(path.dirname(this.file), () => this.wake?.());
      this.watcher.on('error', () => undefined); // the poll still runs
    } catch {
      // fs.watch is unavailable on some file systems; polling alone is correct, only slower.
    }
    this.loop = this.run();
  }

  async stop() {
    this.running = false;
    this.wake?.();
    this.watcher?.close();
    await this.loop; // the event in hand is finished and committed first
  }

  private async run() {
    while (this.running) {
      const lines = await this.readNewLines();
      for (const { text, end } of lines) {
        if (!this.running) return;
        if (!(await this.deliver(text))) return; // stopped while retrying: not handled, not committed
        this.offset = end;
        await commitOffset(this.offsetFile, end);
      }
      if (lines.length === 0) await this.idle();
    }
  }

  /** Complete lines after the committed offset; a line still being written is left for later. */
  private async readNewLines(): Promise<{ text: string; end: number }[]> {
    let handle;
    try {
      handle = await open(this.file, 'r');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
    try {
      let buffer = Buffer.alloc(READ_CHUNK_BYTES);
      let { bytesRead } = await handle.read(buffer, 0, buffer.length, this.offset);
      // A line longer than the chunk: read more until it ends (or the file does).
      while (bytesRead === buffer.length && buffer.indexOf(10) === -1) {
        buffer = Buffer.alloc(buffer.length * 2);
        ({ bytesRead } = await handle.read(buffer, 0, buffer.length, this.offset));
      }
      const lines: { text: string; end: number }[] = [];
      let start = 0;
      for (let newline = buffer.indexOf(10, start); newline !== -1 && newline < bytesRead; newline = buffer.indexOf(10, start)) {
        lines.push({ text: buffer.toString('utf8', start, newline), end: this.offset + newline + 1 });
        start = newline + 1;
      }
      return lines;
    } finally {
      await handle.close();
    }
  }

  /** True once the event is handled (or skipped as malformed); false if stopped before that. */
  private async deliver(text: string): Promise<boolean> {
    let event: E;
    try {
      event = this.parse(text);
    } catch (error) {
      // Retrying a malformed line would block the log forever: report it and move on (as Kafka).
      this.log?.error({ err: error, file: this.file, offset: this.offset }, 'skipping a malformed event');
      return true;
    }
    let retryMs = RETRY_MS.first;
    while (this.running) {
      try {
        await this.handler(event);
        return true;
      } catch {
        // The handler owns reporting its failure; the bus offers the same event again.
        await this.sleep(retryMs);
        retryMs = Math.min(retryMs * 2, RETRY_MS.max);
      }
    }
    return false;
  }

  private idle() {
    return this.sleep(POLL_MS);
  }

  private sleep(ms: number) {
    return new Promise<void>((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.wake = done;
    });
  }
}

async function readOffset(file: string): Promise<number | undefined> {
  try {
    const offset = Number((await readFile(file, 'utf8')).trim());
    return Number.isSafeInteger(offset) && offset >= 0 ? offset : undefined;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/** Write-then-rename, so a crash leaves either the old offset or the new one, never half of one. */
async function commitOffset(file: string, offset: number) {
  const temporary = `${file}.${process.pid}.tmp`;
  await writeFile(temporary, String(offset));
  await rename(temporary, file);
}

async function sizeOf(file: string): Promise<number> {
  try {
    return (await stat(file)).size;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 0;
    throw error;
  }
}
