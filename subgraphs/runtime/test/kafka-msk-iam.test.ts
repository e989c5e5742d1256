// KAFKA_SASL=aws-msk-iam: the token handed to librdkafka is MSK's IAM token (a SigV4-presigned
// kafka-cluster:Connect URL, base64url) for the region and credentials given, and librdkafka asks
// for a new one before the last expires. No MSK here: the signer works offline, and the refresh
// runs in the client whether or not a broker answers.
import { KafkaEventBus, mskIamTokenRefresh } from '@cloudmart/runtime';
import { startKafkaMock, testEvent, waitFor } from '@cloudmart/test-kit';

/** Signer calls, and a lifetime to give tokens instead of the real 15 minutes (to see a refresh soon). */
const mockSigner = { calls: [] as number[], lifetimeMs: undefined as number | undefined };
jest.mock('aws-msk-iam-sasl-signer-js', () => {
  const actual = jest.requireActual<typeof import('aws-msk-iam-sasl-signer-js')>('aws-msk-iam-sasl-signer-js');
  return {
    ...actual,
    generateAuthTokenFromCredentialsProvider: async (
      options: Parameters<typeof actual.generateAuthTokenFromCredentialsProvider>[0],
    ) => {
      mockSigner.calls.push(Date.now());
      const token = await actual.generateAuthTokenFromCredentialsProvider(options);
      return mockSigner.lifetimeMs === undefined ? token : { ...token, expiryTime: Date.now() + mockSigner.lifetimeMs };
    },
  };
});

const credentials = async () => ({ accessKeyId: 'AKIAEXAMPLE', secretAccessKey: 'secret-example', sessionToken: 'session-example' });

describe('MSK IAM authentication', () => {
  it('hands librdkafka a presigned kafka-cluster:Connect token for the region and credentials, valid 15 minutes', async () => {
    const before = Date.now();
    const token = await mskIamTokenRefresh({ region: 'eu-west-1', credentials })();

    expect(token.tokenValue).toMatch(/^[A-Za-z0-9_-]+$/); // base64url, unpadded
    const url = new URL(Buffer.from(token.tokenValue, 'base64url').toString('utf8'));
    expect(url.protocol).toBe('https:');
    expect(url.host).toBe('kafka.eu-west-1.amazonaws.com');
    const query = url.searchParams;
    expect(query.get('Action')).toBe('kafka-cluster:Connect');
    expect(query.get('X-Amz-Algorithm')).toBe('AWS4-HMAC-SHA256');
    expect(query.get('X-Amz-Credential')).toMatch(/^AKIAEXAMPLE\/\d{8}\/eu-west-1\/kafka-cluster\/aws4_request$/);
    expect(query.get('X-Amz-Security-Token')).toBe('session-example');
    expect(query.get('X-Amz-Expires')).toBe('900');
    expect(query.get('X-Amz-Signature')).toMatch(/^[0-9a-f]{64}$/);
    expect(query.get('User-Agent')).toMatch(/aws-msk-iam-sasl-signer-js/);
    // librdkafka takes the expiry in milliseconds since the epoch.
    expect(token.lifetime).toBeGreaterThanOrEqual(before + 899_000);
    expect(token.lifetime).toBeLessThanOrEqual(Date.now() + 900_000);
    expect(token.principal).not.toBe('');
  });

  it('is asked for a new token before the last one expires', async () => {
    // A 3 s token: librdkafka asks again at 80% of its lifetime. The mock cluster speaks neither TLS
    // nor SASL, so the one producer keeps failing to connect (for ~30 s) while its token is refreshed:
    // every call after the first is a refresh of the same client's token.
    const mock = startKafkaMock({ topics: { 'msk-iam-test': 1 } });
    mockSigner.calls = [];
    mockSigner.lifetimeMs = 3_000;
    const bus = new KafkaEventBus({ brokers: mock.brokers, clientId: 'msk-iam-test', topic: 'msk-iam-test', mskIam: { region: 'eu-west-1', credentials } });
    const publishing = bus.publish([testEvent('order-msk', 1)]).catch((error: unknown) => error);
    try {
      await waitFor('a refreshed token', () => mockSigner.calls.length >= 2, 25_000);
      // Tokens of 15 minutes again, so that no refresh is in flight when the client gives up and is
      // destroyed: one handed to a destroyed client fails inside the client, unhandled.
      mockSigner.lifetimeMs = undefined;
      expect(await publishing).toBeInstanceOf(Error); // no SASL_SSL broker here
    } finally {
      mockSigner.lifetimeMs = undefined;
      await bus.close();
      mock.stop();
    }
  });
});
