// The soak's event bus: librdkafka's mock cluster (a real Kafka-protocol broker, in memory) in a
// process of its own, so the services reach it over TCP as they would MSK. Prints `BROKERS <list>`
// once up; over IPC, `{ type: 'down' }` takes every broker down (connections refused, data kept)
// and `{ type: 'up' }` brings them back: the "event bus unavailable" fault.
import { ORDER_EVENTS_TOPIC } from '@cloudmart/runtime';
import { PRODUCT_EVENTS_TOPIC } from '@cloudmart/products/contract';
import { startKafkaMock } from './local';

const BROKERS = 3;
const mock = startKafkaMock({ brokers: BROKERS, topics: { [ORDER_EVENTS_TOPIC]: 4, [PRODUCT_EVENTS_TOPIC]: 4 } });
process.stdout.write(`BROKERS ${mock.bootstrapServers}\n`);

process.on('message', (message: { type?: string }) => {
  if (message.type !== 'down' && message.type !== 'up') return;
  for (let broker = 1; broker <= BROKERS; broker++) mock.setBrokerDown(broker, message.type === 'down');
  process.send?.({ type: message.type, done: true });
});
const stop = () => {
  mock.stop();
  process.exit(0);
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
process.on('disconnect', stop);
// The mock's threads serve the brokers; this keeps the process alive for them.
setInterval(() => {}, 60_000);
