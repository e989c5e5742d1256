// Confluent's client is an optional dependency: where it is missing (a machine without build
// tools) only EVENT_BUS=kafka fails, with a message that says what to install and how.
import { createEventBus, KafkaClientUnavailableError } from '@cloudmart/runtime';

jest.mock('@confluentinc/kafka-javascript', () => {
  throw new Error("Cannot find module '@confluentinc/kafka-javascript'");
});

describe('the Kafka client, when it is not installed', () => {
  const config = { DATA_DIR: '/nonexistent', KAFKA_CLIENT_ID: 'test', KAFKA_SASL: 'none', AWS_REGION: 'eu-west-1' } as const;

  it('leaves the other buses alone', () => {
    expect(() => createEventBus({ ...config, EVENT_BUS: 'in-process', KAFKA_BROKERS: undefined })).not.toThrow();
  });

  it('fails EVENT_BUS=kafka saying what to install and how to build it', () => {
    const create = () => createEventBus({ ...config, EVENT_BUS: 'kafka', KAFKA_BROKERS: ['127.0.0.1:9092'] });
    expect(create).toThrow(KafkaClientUnavailableError);
    expect(create).toThrow(/@confluentinc\/kafka-javascript.*build-essential python3 libssl-dev zlib1g-dev.*npm rebuild @confluentinc\/kafka-javascript/s);
  });
});
