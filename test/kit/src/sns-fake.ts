// A local server speaking Amazon SNS's wire format (the AWS Query protocol), for contract tests
// with the real @aws-sdk/client-sns: POST / with a form-encoded body (`Action=Publish&Version=
// 2010-03-31&PhoneNumber=…&Message=…&MessageAttributes.entry.N.Name=…`). It checks each request's
// SigV4 signature (./sigv4.ts; the credential scope must name the service `sns`), records what it
// received, and answers in SNS's XML: `PublishResponse/PublishResult/MessageId` with
// `ResponseMetadata/RequestId`, or `ErrorResponse/Error/{Type,Code,Message}` with the HTTP status
// the SDK's Query deserializer expects for that code (Throttled 429, InvalidParameter 400, …).
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import { listenOnLoopback } from './loopback';
import { SIGNATURE_MISMATCH_MESSAGE, signedRequestRecord, type SignedRequestRecord } from './sigv4';

export const FAKE_SNS_CREDENTIALS = {
  accessKeyId: 'AKIDFAKESNS',
  secretAccessKey: 'fake-sns-secret-key',
};

/** One request as received; its signing fields check `sns` in the scope. */
export interface FakeSnsRequest extends SignedRequestRecord {
  /** The Query action (`Publish`). */
  action: string;
  /** Every form parameter as sent. */
  params: Record<string, string>;
  phoneNumber?: string;
  message?: string;
  /** MessageAttributes.entry.N, by name: `{ DataType: 'String', StringValue: 'Transactional' }`. */
  messageAttributes: Record<string, { DataType?: string; StringValue?: string }>;
}

/**
 * How the fake answers one request: accepted; throttled (AWS's common `ThrottlingException`,
 * "Rate exceeded", HTTP 400: the SDK reads the code and its standard retry strategy retries it);
 * or any SNS error, e.g. `{ error: 'InvalidParameter', status: 400, message: 'Invalid parameter:
 * PhoneNumber' }` (`Throttled`/429 is SNS's own modelled throttling error).
 */
export type FakeSnsReply =
  | 'ok'
  | { throttle: true }
  | { error: string; status: number; message?: string; type?: 'Sender' | 'Receiver' };

export interface FakeSns {
  endpoint: string;
  requests: FakeSnsRequest[];
  /** Decides each reply to a correctly signed Publish; the default accepts every message. */
  reply: (request: FakeSnsRequest, index: number) => FakeSnsReply;
  stop(): Promise<void>;
}

const XMLNS = 'http://sns.amazonaws.com/doc/2010-03-31/';
const xmlEscape = (text: string) =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** The `MessageAttributes.entry.N.*` parameters, by attribute name. */
function messageAttributes(params: Record<string, string>): FakeSnsRequest['messageAttributes'] {
  const attributes: FakeSnsRequest['messageAttributes'] = {};
  for (const [key, name] of Object.entries(params)) {
    const match = /^MessageAttributes\.entry\.(\d+)\.Name$/.exec(key);
    if (!match) continue;
    const prefix = `MessageAttributes.entry.${match[1]}.Value`;
    attributes[name] = {
      DataType: params[`${prefix}.DataType`],
      StringValue: params[`${prefix}.StringValue`],
    };
  }
  return attributes;
}

export async function startFakeSns(
  options: { secretAccessKey?: string; reply?: FakeSns['reply'] } = {},
): Promise<FakeSns> {
  const secretAccessKey = options.secretAccessKey ?? FAKE_SNS_CREDENTIALS.secretAccessKey;
  const fake: FakeSns = {
    endpoint: '',
    requests: [],
    reply: options.reply ?? (() => 'ok'),
    stop: async () => {},
  };

  const answerError = (
    res: http.ServerResponse,
    status: number,
    code: string,
    message: string,
    type: 'Sender' | 'Receiver' = status >= 500 ? 'Receiver' : 'Sender',
  ) => {
    const requestId = randomUUID();
    res.writeHead(status, { 'content-type': 'text/xml', 'x-amzn-requestid': requestId });
    res.end(
      `<ErrorResponse xmlns="${XMLNS}"><Error><Type>${type}</Type><Code>${xmlEscape(code)}</Code>` +
        `<Message>${xmlEscape(message)}</Message></Error><RequestId>${requestId}</RequestId></ErrorResponse>`,
    );
  };

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const raw = Buffer.concat(chunks);
      const url = new URL(req.url ?? '/', 'http://fake');
      if (req.method !== 'POST' || url.pathname !== '/') {
        answerError(res, 404, 'NotFound', `No operation at ${req.method} ${url.pathname} in this fake.`);
        return;
      }
      const params = Object.fromEntries(new URLSearchParams(raw.toString('utf8')));
      const request: FakeSnsRequest = {
        action: params.Action ?? '',
        params,
        phoneNumber: params.PhoneNumber,
        message: params.Message,
        messageAttributes: messageAttributes(params),
        ...signedRequestRecord(req, raw, { secretAccessKey, service: 'sns' }),
      };
      fake.requests.push(request);
      if (!request.signatureValid) {
        answerError(res, 403, 'SignatureDoesNotMatch', SIGNATURE_MISMATCH_MESSAGE);
        return;
      }
      if (request.action !== 'Publish' || params.Version !== '2010-03-31') {
        answerError(
          res,
          400,
          'InvalidAction',
          `The action ${request.action} is not valid for this web service.`,
        );
        return;
      }
      const reply = fake.reply(request, fake.requests.length - 1);
      if (reply === 'ok') {
        const requestId = randomUUID();
        res.writeHead(200, { 'content-type': 'text/xml', 'x-amzn-requestid': requestId });
        res.end(
          `<PublishResponse xmlns="${XMLNS}"><PublishResult><MessageId>${randomUUID()}</MessageId></PublishResult>` +
            `<ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata></PublishResponse>`,
        );
      } else if ('throttle' in reply) {
        answerError(res, 400, 'ThrottlingException', 'Rate exceeded');
      } else {
        answerError(res, reply.status, reply.error, reply.message ?? reply.error, reply.type);
      }
    });
  });
  const listener = await listenOnLoopback(server);
  fake.endpoint = `http://127.0.0.1:${listener.port}`;
  fake.stop = () => listener.close();
  return fake;
}
