// Contract tests of the SNS SMS adapter: the real @aws-sdk/client-sns against a local server
// speaking SNS's Query protocol (the fake in `@cloudmart/test-kit`), which checks every SigV4
// signature and answers in SNS's XML, errors included.
import { FAKE_SNS_CREDENTIALS, startFakeSns } from '@cloudmart/test-kit';
import type { SmsMessage } from '../src/services/channels/port';
import { SnsSmsChannel } from '../src/services/channels/sns';
import { closedAfterEach, failureOf, fakeForFile } from './channel-contract';

const REGION = 'us-east-1';
const text: SmsMessage = {
  to: '+14155550123',
  body: 'CloudMart: order ORD-1 has shipped. Track it: https://cloudmart.example/o/1',
};

const fake = fakeForFile(startFakeSns);
const opened = closedAfterEach<SnsSmsChannel>();
const sns = (options: { secretAccessKey?: string; senderId?: string } = {}) =>
  opened(
    new SnsSmsChannel({
      region: REGION,
      endpoint: fake().endpoint,
      credentials: {
        accessKeyId: FAKE_SNS_CREDENTIALS.accessKeyId,
        secretAccessKey: options.secretAccessKey ?? FAKE_SNS_CREDENTIALS.secretAccessKey,
      },
      senderId: options.senderId,
    }),
  );

describe('SnsSmsChannel against an SNS-compatible server', () => {
  it('publishes to the phone number as a Transactional SMS with the sender ID, signed for sns in the region', async () => {
    const delivery = await sns({ senderId: 'CloudMart' }).send(text);

    expect(delivery.providerMessageId).toMatch(/^[0-9a-f-]{36}$/);
    expect(fake().requests).toHaveLength(1);
    const request = fake().requests[0]!;
    expect(request).toMatchObject({
      signatureValid: true,
      region: REGION,
      service: 'sns',
      action: 'Publish',
      phoneNumber: '+14155550123',
      message: text.body,
    });
    expect(request.params.Version).toBe('2010-03-31');
    expect(request.params.TopicArn).toBeUndefined();
    expect(request.messageAttributes).toEqual({
      'AWS.SNS.SMS.SMSType': { DataType: 'String', StringValue: 'Transactional' },
      'AWS.SNS.SMS.SenderID': { DataType: 'String', StringValue: 'CloudMart' },
    });
  });

  it('sends no SenderID attribute without one', async () => {
    await sns().send(text);

    expect(Object.keys(fake().requests[0]!.messageAttributes)).toEqual(['AWS.SNS.SMS.SMSType']);
  });

  it("lets the SDK retry throttling (ThrottlingException, then SNS's 429 Throttled), delivered on the third signed attempt", async () => {
    fake().reply = (_request, index) =>
      index === 0
        ? { throttle: true }
        : index === 1
          ? { error: 'Throttled', status: 429, message: 'Rate exceeded' }
          : 'ok';

    const delivery = await sns().send(text);

    expect(delivery.providerMessageId).toMatch(/^[0-9a-f-]{36}$/);
    expect(fake().requests).toHaveLength(3);
    expect(fake().requests.every((request) => request.signatureValid)).toBe(true);
    expect(fake().requests.map((request) => request.attempt)).toEqual([
      'attempt=1; max=3',
      'attempt=2; max=3',
      'attempt=3; max=3',
    ]);
  });

  it('gives up after maxAttempts of throttling with a retryable ChannelError', async () => {
    fake().reply = () => ({ throttle: true });

    const error = await failureOf(sns().send(text));

    expect(error).toMatchObject({ retryable: true, code: 'ThrottlingException' });
    expect(fake().requests).toHaveLength(3);
  });

  it('dead-letters InvalidParameter at once: not retryable, after exactly one request', async () => {
    fake().reply = () => ({
      error: 'InvalidParameter',
      status: 400,
      message: 'Invalid parameter: PhoneNumber Reason: +1415 is not valid to publish to',
    });

    const error = await failureOf(sns().send(text));

    expect(error).toMatchObject({ retryable: false, code: 'InvalidParameterException' });
    expect(error.message).toContain('is not valid to publish to');
    expect(fake().requests).toHaveLength(1);
  });

  it.each([
    ['ParameterValueInvalid', 400, 'InvalidParameterValueException'],
    ['AuthorizationError', 403, 'AuthorizationErrorException'],
    ['OptedOut', 400, 'OptedOutException'],
  ])('treats %s as permanent', async (wireCode, status, exceptionName) => {
    fake().reply = () => ({ error: wireCode, status });

    const error = await failureOf(sns().send(text));

    expect(error).toMatchObject({ retryable: false, code: exceptionName });
    expect(fake().requests).toHaveLength(1);
  });

  it('retries InternalError (500) and reports it retryable when it persists', async () => {
    fake().reply = () => ({ error: 'InternalError', status: 500, type: 'Receiver' });

    const error = await failureOf(sns().send(text));

    expect(error).toMatchObject({ retryable: true, code: 'InternalErrorException' });
    expect(fake().requests).toHaveLength(3);
  });

  it('answers a wrong secret key with 403 SignatureDoesNotMatch: a configuration error, not retried', async () => {
    const error = await failureOf(sns({ secretAccessKey: 'not-the-secret' }).send(text));

    expect(error).toMatchObject({ retryable: false, code: 'SignatureDoesNotMatch' });
    expect(fake().requests).toHaveLength(1);
    expect(fake().requests[0]!.signatureValid).toBe(false);
  });
});
