// The tests' Kafka-protocol broker must be reachable from this machine only.
import { execFileSync } from 'node:child_process';
import { startKafkaMock } from '../local';

describe('librdkafka mock cluster', () => {
  it('listens on 127.0.0.1 only, and is gone after stop()', () => {
    const mock = startKafkaMock({ brokers: 2 });
    const ports = mock.brokers.map((broker) => broker.split(':')[1]);
    try {
      expect(mock.brokers.every((broker) => broker.startsWith('127.0.0.1:'))).toBe(true);
      const listeners = execFileSync('ss', ['-ltnH'], { encoding: 'utf8' })
        .split('\n')
        .map((line) => line.trim().split(/\s+/)[3] ?? '')
        .filter((local) => ports.some((port) => local.endsWith(`:${port}`)));
      expect(listeners.sort()).toEqual(mock.brokers.slice().sort());
    } finally {
      mock.stop();
    }
    const after = execFileSync('ss', ['-ltnH'], { encoding: 'utf8' });
    for (const port of ports) expect(after).not.toMatch(new RegExp(`:${port}\\s`));
  });
});
