// A local server speaking Amazon SES API v2's wire format (REST-JSON), for contract tests with the
// real @aws-sdk/client-sesv2: POST /v2/email/outbound-emails (SendEmail). It checks each request's
// SigV4 signature (./sigv4.ts; the credential scope must name the service `ses`), records what it
// received, and answers like SES: `{"MessageId"}`, or an error as the SDK's REST-JSON deserializer
// reads it (HTTP status, `x-amzn-ErrorType: <exception name>:<namespace>`, body `{"message"}`),
// so the SDK throws the exception class AWS's would (MessageRejected, TooManyRequestsException…).
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import { listenOnLoopback } from './loopback';
import { SIGNATURE_MISMATCH_MESSAGE, signedRequestRecord, type SignedRequestRecord } from './sigv4';

export const FAKE_SES_CREDENTIALS = {
  accessKeyId: 'AKIDFAKESES',
  secretAccessKey: 'fake-ses-secret-key',
};

/** One request as received; its signing fields check `ses` in the scope. */
export interface FakeSesRequest extends SignedRequestRecord {
  /** The SendEmail input as sent (FromEmailAddress, Destination, Content.Simple…). */
  body: Record<string, unknown>;
}

/**
 * How the fake answers one request: accepted; throttled (429 TooManyRequestsException, which the
 * SDK's standard retry strategy retries); or any SES error, e.g.
 * `{ error: 'MessageRejected', status: 400, message: 'Email address is not verified.' }`.
 */
export type FakeSesReply = 'ok' | { throttle: true } | { error: string; status: number; message?: string };

export interface FakeSes {
  endpoint: string;
  requests: FakeSesRequest[];
  /** Decides each reply to a correctly signed request; the default accepts every message. */
  reply: (request: FakeSesRequest, index: number) => FakeSesReply;
  stop(): Promise<void>;
}

const SEND_EMAIL_PATH = '/v2/email/outbound-emails';

export async function startFakeSes(
  options: { secretAccessKey?: string; reply?: FakeSes['reply'] } = {},
): Promise<FakeSes> {
  const secretAccessKey = options.secretAccessKey ?? FAKE_SES_CREDENTIALS.secretAccessKey;
  const fake: FakeSes = {
    endpoint: '',
    requests: [],
    reply: options.reply ?? (() => 'ok'),
    stop: async () => {},
  };
  let accepted = 0;

  const answerError = (res: http.ServerResponse, status: number, name: string, message: string) => {
    res.writeHead(status, {
      'content-type': 'application/json',
      'x-amzn-requestid': randomUUID(),
      'x-amzn-errortype': `${name}:http://internal.amazon.com/coral/com.amazonaws.sesv2/`,
    });
    res.end(JSON.stringify({ message }));
  };

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const raw = Buffer.concat(chunks);
      const path = new URL(req.url ?? '/', 'http://fake').pathname;
      if (req.method !== 'POST' || path !== SEND_EMAIL_PATH) {
        answerError(res, 404, 'NotFoundException', `No operation at ${req.method} ${path} in this fake.`);
        return;
      }
      let body: Record<string, unknown>;
      try {
        body = raw.length ? (JSON.parse(raw.toString('utf8')) as Record<string, unknown>) : {};
      } catch {
        answerError(res, 400, 'BadRequestException', 'The request body is not JSON.');
        return;
      }
      const request: FakeSesRequest = { body, ...signedRequestRecord(req, raw, { secretAccessKey, service: 'ses' }) };
      fake.requests.push(request);
      if (!request.signatureValid) {
        answerError(res, 403, 'SignatureDoesNotMatch', SIGNATURE_MISMATCH_MESSAGE);
        return;
      }
      const reply = fake.reply(request, fake.requests.length - 1);
      if (reply === 'ok') {
        accepted += 1;
        res.writeHead(200, { 'content-type': 'application/json', 'x-amzn-requestid': randomUUID() });
        res.end(
          JSON.stringify({ MessageId: `0100019a-fake-ses-${String(accepted).padStart(6, '0')}-000000` }),
        );
      } else if ('throttle' in reply) {
        answerError(res, 429, 'TooManyRequestsException', 'Maximum sending rate exceeded.');
      } else {
        answerError(res, reply.status, reply.error, reply.message ?? reply.error);
      }
    });
  });
  const listener = await listenOnLoopback(server);
  fake.endpoint = `http://127.0.0.1:${listener.port}`;
  fake.stop = () => listener.close();
  return fake;
}

/** The fields of a recorded SendEmail body a test usually checks (Simple content). */
export function sesSimpleMessage(request: FakeSesRequest) {
  const body = request.body as {
    FromEmailAddress?: string;
    ConfigurationSetName?: string;
    Destination?: { ToAddresses?: string[] };
    Content?: {
      Simple?: {
        Subject?: { Data?: string; Charset?: string };
        Body?: { Html?: { Data?: string; Charset?: string }; Text?: { Data?: string; Charset?: string } };
        Headers?: { Name: string; Value: string }[];
      };
    };
  };
  const simple = body.Content?.Simple;
  return {
    from: body.FromEmailAddress,
    to: body.Destination?.ToAddresses ?? [],
    configurationSet: body.ConfigurationSetName,
    subject: simple?.Subject,
    html: simple?.Body?.Html,
    text: simple?.Body?.Text,
    headers: simple?.Headers ?? [],
  };
}
