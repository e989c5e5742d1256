// What the channels' contract tests share: the ChannelError a failed send rejects with, the
// channels a test opened (closed after it), and a fake provider started once per file whose
// recorded requests and reply are reset before each test.
import { ChannelError } from '../src/services/channels/port';

/** The ChannelError `send` rejected with; the test fails if it succeeded or threw anything else. */
export const failureOf = (send: Promise<unknown>): Promise<ChannelError> =>
  send.then(
    () => {
      throw new Error('the send succeeded');
    },
    (error: unknown) => {
      expect(error).toBeInstanceOf(ChannelError);
      return error as ChannelError;
    },
  );

/** Registers `afterEach` closing every channel passed to the returned function during the test. */
export function closedAfterEach<Channel extends { close(): Promise<void> }>(): (channel: Channel) => Channel {
  const opened: Channel[] = [];
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((channel) => channel.close()));
  });
  return (channel) => {
    opened.push(channel);
    return channel;
  };
}

interface FakeProvider {
  requests: unknown[];
  reply: (...args: never[]) => unknown;
  stop(): Promise<void>;
}

/**
 * Starts the fake for the file (`beforeAll`), stops it after (`afterAll`), and before each test
 * forgets its requests and accepts every message again. Returns the running fake.
 */
export function fakeForFile<Fake extends FakeProvider>(start: () => Promise<Fake>): () => Fake {
  let fake: Fake | undefined;
  beforeAll(async () => {
    fake = await start();
  });
  afterAll(async () => {
    await fake?.stop();
  });
  beforeEach(() => {
    fake!.requests.length = 0;
    fake!.reply = (() => 'ok') as Fake['reply'];
  });
  return () => fake!;
}
