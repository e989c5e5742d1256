// Killing the sink's process (SIGKILL, no clean-up) while events flow, then starting a new one:
// the new process resumes from the group's committed offset in the file log, DuckDB recovers its
// file, and the warehouse ends with every row exactly once — none twice, none missing.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { FileLogEventBus, ORDER_EVENTS_TOPIC } from '@cloudmart/runtime';
import { makeTempDir, waitFor } from '@cloudmart/test-kit';
import { DuckDbWarehouse } from '../src/services/warehouse/duckdb';
import { WAREHOUSE_CONSUMER_GROUP } from '../src/workers/warehouse-sink';
import { ORDER_TOTAL, orderEvents } from './fixtures/order-events';

describe('warehouse sink killed mid-stream', () => {
  const temp = makeTempDir('sink-kill');
  const eventsDir = path.join(temp.dir, 'events');
  const warehouseFile = path.join(temp.dir, 'warehouse.duckdb');
  const children: ChildProcess[] = [];
  afterAll(() => {
    for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
    temp.remove();
  });

  const startSink = () =>
    new Promise<ChildProcess>((resolve, reject) => {
      const child = spawn(
        process.execPath,
        ['--import', 'tsx', path.join(__dirname, 'fixtures', 'sink-process.ts')],
        {
          env: { ...process.env, EVENTS_DIR: eventsDir, WAREHOUSE_FILE: warehouseFile },
          stdio: ['ignore', 'pipe', 'pipe'],
        },
      );
      children.push(child);
      let output = '';
      child.stdout!.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        if (output.includes('ready')) resolve(child);
      });
      child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
      child.once('exit', (code) => reject(new Error(`sink process exited (${code}):\n${output}`)));
    });
  const exited = (child: ChildProcess) =>
    child.exitCode !== null
      ? Promise.resolve()
      : new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const offsetFile = path.join(eventsDir, `${ORDER_EVENTS_TOPIC}.groups`, WAREHOUSE_CONSUMER_GROUP);
  const committed = () => {
    try {
      return Number(readFileSync(offsetFile, 'utf8'));
    } catch {
      return 0;
    }
  };
  const logSize = () => statSync(path.join(eventsDir, `${ORDER_EVENTS_TOPIC}.log`)).size;

  it('leaves no duplicate and no missing row after a kill and a restart', async () => {
    const bus = new FileLogEventBus({ dir: eventsDir });
    const orders = Array.from({ length: 150 }, (_, i) =>
      orderEvents(new Date(Date.UTC(2026, 9, 1 + (i % 28), 9))),
    );
    const first = await startSink();
    // Events flow from now on; the second half waits for the kill, so the kill lands mid-stream.
    let killed!: () => void;
    const afterKill = new Promise<void>((resolve) => (killed = resolve));
    let published = 0;
    const publishing = (async () => {
      for (const [i, events] of orders.entries()) {
        if (i === orders.length / 2) await afterKill;
        await bus.publish(events);
        published++;
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
    })();

    // Each wait includes a sink process's start (tsx, DuckDB): on a loaded machine (four jest workers
    // on two cores) the second took longer than a minute to reach the end of the log.
    await waitFor('the first sink to commit some events', async () => committed() > 0, 120_000);
    first.kill('SIGKILL');
    await exited(first);
    expect(published).toBeLessThan(orders.length);
    killed();
    const committedAtKill = committed();
    await publishing;
    expect(committedAtKill).toBeLessThan(logSize());

    const second = await startSink();
    await waitFor(
      'the second sink to reach the end of the log',
      async () => committed() === logSize(),
      120_000,
    );
    second.kill('SIGTERM');
    await exited(second);

    const warehouse = new DuckDbWarehouse(warehouseFile);
    await warehouse.open();
    try {
      expect(await warehouse.counts()).toEqual({ orders: 150, orderLines: 300, statusChanges: 450 });
      const [month] = await warehouse.salesByPeriod(
        { from: new Date('2026-10-01T00:00:00Z'), to: new Date('2026-11-01T00:00:00Z'), currency: 'USD' },
        'MONTH',
      );
      expect(month).toEqual({
        periodStart: new Date('2026-10-01T00:00:00Z'),
        orders: 150,
        revenue: 150 * ORDER_TOTAL,
      });
    } finally {
      await warehouse.close();
    }
  }, 300_000);
});
