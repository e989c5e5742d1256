// A local server speaking Amazon Bedrock Runtime's wire format (REST-JSON over HTTP/1.1), for
// contract tests with the real SDK: POST /model/{modelId}/invoke (Titan text embeddings) and
// POST /model/{modelId}/converse. It verifies each request's SigV4 signature (./sigv4.ts) and
// answers like Bedrock, errors included (status, x-amzn-ErrorType header, {"message"} body).
import { createHash } from 'node:crypto';
import http from 'node:http';
import { listenOnLoopback } from './loopback';
import { verifySigV4 } from './sigv4';

export const FAKE_CREDENTIALS = {
  accessKeyId: 'AKIDFAKEBEDROCK',
  secretAccessKey: 'fake-bedrock-secret-key',
};

export interface FakeRequest {
  operation: 'invoke' | 'converse';
  modelId: string;
  body: Record<string, unknown>;
  /** Whether the SigV4 signature matched the fake's secret. */
  signatureValid: boolean;
  region?: string;
  service?: string;
}

export type FakeReply =
  | { status: number; body: unknown; errorType?: string }
  /** Never answers (until the server stops): for timeouts. */
  | 'hang';

export interface FakeBedrock {
  endpoint: string;
  requests: FakeRequest[];
  /** Decides each reply; the default answers like a healthy Bedrock. */
  reply: (request: FakeRequest, index: number) => FakeReply;
  stop(): Promise<void>;
}

/** Titan-like embeddings: a hashed bag of words, unit length, so similar texts are close. */
export function fakeEmbedding(text: string, dimensions: number): number[] {
  const vector = new Array<number>(dimensions).fill(0);
  for (const word of text
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((w) => w.length > 2)) {
    const hash = createHash('sha256').update(word).digest();
    vector[hash.readUInt32BE(0) % dimensions]! += 1;
  }
  const norm = Math.sqrt(vector.reduce((sum, value) => sum + value * value, 0)) || 1;
  return vector.map((value) => value / norm);
}

/** The candidates listed in a re-rank prompt (the adapter writes them as a JSON array). */
export function candidatesInPrompt(request: FakeRequest): { id: string; name: string }[] {
  const messages = request.body.messages as { content: { text: string }[] }[];
  const text = messages[0]!.content[0]!.text;
  const line = text.split('\n').find((l) => l.startsWith('Candidates: '))!;
  return JSON.parse(line.slice('Candidates: '.length).replace(/\.$/, '')) as { id: string; name: string }[];
}

export const converseReply = (text: string): FakeReply => ({
  status: 200,
  body: {
    output: { message: { role: 'assistant', content: [{ text }] } },
    stopReason: 'end_turn',
    usage: { inputTokens: 100, outputTokens: 50, totalTokens: 150 },
    metrics: { latencyMs: 5 },
  },
});

/** A healthy Bedrock: embeddings for invoke, and a re-rank by name (A to Z) with reasons for converse. */
export function healthyReply(request: FakeRequest): FakeReply {
  if (!request.signatureValid)
    return {
      status: 403,
      errorType: 'InvalidSignatureException',
      body: { message: 'The request signature we calculated does not match.' },
    };
  if (request.operation === 'invoke') {
    const dimensions = Number(request.body.dimensions ?? 1024);
    return {
      status: 200,
      body: { embedding: fakeEmbedding(String(request.body.inputText), dimensions), inputTextTokenCount: 12 },
    };
  }
  const ranked = [...candidatesInPrompt(request)].sort((a, b) => a.name.localeCompare(b.name));
  return converseReply(
    `Here you go:\n${JSON.stringify(ranked.map((c) => ({ id: c.id, reason: `Goes well with what you like: ${c.name}.` })))}`,
  );
}

export async function startFakeBedrock(
  secretAccessKey = FAKE_CREDENTIALS.secretAccessKey,
): Promise<FakeBedrock> {
  const hanging = new Set<http.ServerResponse>();
  const fake: FakeBedrock = { endpoint: '', requests: [], reply: healthyReply, stop: async () => {} };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const raw = Buffer.concat(chunks);
      const url = new URL(req.url ?? '/', 'http://fake');
      const match = /^\/model\/([^/]+)\/(invoke|converse)$/.exec(url.pathname);
      if (req.method !== 'POST' || !match) {
        res.writeHead(404, {
          'content-type': 'application/json',
          'x-amzn-errortype': 'UnknownOperationException',
        });
        res.end(JSON.stringify({ message: 'not found' }));
        return;
      }
      const signature = verifySigV4(req, raw, { secretAccessKey });
      const request: FakeRequest = {
        operation: match[2] as 'invoke' | 'converse',
        modelId: decodeURIComponent(match[1]!),
        body: raw.length ? (JSON.parse(raw.toString('utf8')) as Record<string, unknown>) : {},
        signatureValid: signature.valid,
        region: signature.region,
        service: signature.service,
      };
      fake.requests.push(request);
      const reply = fake.reply(request, fake.requests.length - 1);
      if (reply === 'hang') {
        hanging.add(res);
        return;
      }
      res.writeHead(reply.status, {
        'content-type': 'application/json',
        'x-amzn-requestid': `req-${fake.requests.length}`,
        ...(reply.errorType ? { 'x-amzn-errortype': reply.errorType } : {}),
      });
      res.end(JSON.stringify(reply.body));
    });
  });
  const listener = await listenOnLoopback(server);
  fake.endpoint = `http://127.0.0.1:${listener.port}`;
  fake.stop = async () => {
    for (const res of hanging) res.destroy();
    await listener.close();
  };
  return fake;
}
