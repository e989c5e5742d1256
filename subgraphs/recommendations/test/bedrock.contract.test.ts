// Contract tests of the Bedrock adapter: the real @aws-sdk/client-bedrock-runtime against a local
// server speaking Bedrock's wire format (the fake in `@cloudmart/test-kit`), which checks every
// SigV4 signature.
import { createLogger } from '@cloudmart/runtime';
import type { CatalogProduct } from '../src/domain/engine/types';
import { BedrockRecommender } from '../src/services/recommender/bedrock';
import { FallbackRecommender } from '../src/services/recommender/fallback';
import { LocalRecommender } from '../src/services/recommender/local';
import type { RankRequest } from '../src/services/recommender/port';
import {
  converseReply,
  FAKE_CREDENTIALS,
  healthyReply,
  startFakeBedrock,
  type FakeBedrock,
} from '@cloudmart/test-kit';

const EMBEDDING_MODEL = 'amazon.titan-embed-text-v2:0';
const RERANK_MODEL = 'anthropic.claude-3-5-haiku-20241022-v1:0';

const product = (id: string, name: string, category: string): CatalogProduct => ({
  id,
  name,
  description: `The ${name} for everyday use.`,
  brand: 'Acme',
  category,
  stock: 5,
});

const anchor = product('p0', 'Summit Trail Tent', 'outdoor');
const candidates = [
  product('p1', 'Ridge Trail Tent', 'outdoor'),
  product('p2', 'Camp Stove', 'outdoor'),
  product('p3', 'Aurora Laptop', 'laptops'),
  product('p4', 'Basecamp Sleeping Bag', 'outdoor'),
].map((p, i) => ({ product: p, score: 1 - i * 0.2 }));
const request: RankRequest = { kind: 'similar', context: [anchor], candidates, limit: 3 };

let fake: FakeBedrock;
beforeEach(async () => {
  fake = await startFakeBedrock();
});
afterEach(async () => {
  await fake.stop();
});

const bedrock = (options: { maxAttempts?: number; timeoutMs?: number; secret?: string } = {}) =>
  new BedrockRecommender({
    region: 'us-west-2',
    endpoint: fake.endpoint,
    embeddingModelId: EMBEDDING_MODEL,
    rerankModelId: RERANK_MODEL,
    timeoutMs: options.timeoutMs ?? 2_000,
    maxAttempts: options.maxAttempts ?? 3,
    credentials: { ...FAKE_CREDENTIALS, ...(options.secret ? { secretAccessKey: options.secret } : {}) },
  });

const ids = (ranked: { productId: string }[]) => ranked.map((entry) => entry.productId);
const log = createLogger('recommendations-test', 'silent');

describe('BedrockRecommender against a Bedrock-compatible server', () => {
  it('embeds with Titan, re-ranks with Claude through Converse, and keeps its reasons', async () => {
    const ranked = await bedrock().rank(request);
    // The fake's Claude orders the shortlist by name (a deterministic stand-in for a judgement).
    expect(ids(ranked)).toEqual(['p3', 'p4', 'p2']);
    expect(ranked[1]!.reason).toBe('Goes well with what you like: Basecamp Sleeping Bag.');
    expect(fake.requests.every((r) => r.signatureValid)).toBe(true);
    expect(fake.requests[0]).toMatchObject({ region: 'us-west-2', service: 'bedrock' });
    const invokes = fake.requests.filter((r) => r.operation === 'invoke');
    expect(invokes).toHaveLength(5); // the anchor and four candidates
    expect(invokes[0]).toMatchObject({
      modelId: EMBEDDING_MODEL,
      body: { dimensions: 512, normalize: true },
    });
    expect(String(invokes[0]!.body.inputText)).toContain('Summit Trail Tent');
    const converse = fake.requests.filter((r) => r.operation === 'converse');
    expect(converse).toHaveLength(1);
    expect(converse[0]).toMatchObject({
      modelId: RERANK_MODEL,
      body: { inferenceConfig: { temperature: 0 } },
    });
  });

  it('caches embeddings: a second ranking of the same products only asks Claude', async () => {
    const recommender = bedrock();
    await recommender.rank(request);
    const before = fake.requests.length;
    await recommender.rank(request);
    expect(fake.requests.slice(before).map((r) => r.operation)).toEqual(['converse']);
  });

  it('ignores ids Claude made up and appends candidates it left out', async () => {
    fake.reply = (req, i) =>
      req.operation === 'converse'
        ? converseReply('[{"id":"p9","reason":"invented"},{"id":"p2","reason":"A stove for the tent."}]')
        : healthyFor(req, i);
    const ranked = await bedrock().rank(request);
    expect(ranked[0]).toMatchObject({ productId: 'p2', reason: 'A stove for the tent.' });
    expect(ids(ranked)).not.toContain('p9');
    expect(ranked).toHaveLength(3);
  });

  it('uses the embedding order when Claude answers without JSON', async () => {
    fake.reply = (req, i) =>
      req.operation === 'converse' ? converseReply('I cannot help with that.') : healthyFor(req, i);
    const ranked = await bedrock().rank(request);
    expect(ranked).toHaveLength(3);
    expect(ranked[0]!.productId).toBe('p1'); // the other trail tent is the closest by embedding
    expect(ranked.every((entry) => entry.reason === undefined)).toBe(true);
  });

  it('retries throttling (429 ThrottlingException) with backoff, then succeeds', async () => {
    let throttled = 0;
    fake.reply = (req, i) => {
      if (req.operation === 'converse' && throttled < 2) {
        throttled += 1;
        return {
          status: 429,
          errorType: 'ThrottlingException',
          body: { message: 'Too many requests, please wait.' },
        };
      }
      return healthyFor(req, i);
    };
    const ranked = await bedrock({ maxAttempts: 3 }).rank(request);
    expect(ids(ranked)).toEqual(['p3', 'p4', 'p2']);
    expect(fake.requests.filter((r) => r.operation === 'converse')).toHaveLength(3);
  });

  it('gives up on throttling after maxAttempts with ThrottlingException', async () => {
    fake.reply = (req, i) =>
      req.operation === 'converse'
        ? {
            status: 429,
            errorType: 'ThrottlingException',
            body: { message: 'Too many requests, please wait.' },
          }
        : healthyFor(req, i);
    await expect(bedrock({ maxAttempts: 2 }).rank(request)).rejects.toMatchObject({
      name: 'ThrottlingException',
      $metadata: { httpStatusCode: 429 },
    });
    expect(fake.requests.filter((r) => r.operation === 'converse')).toHaveLength(2);
  });

  it('does not retry a client error (400 ValidationException)', async () => {
    fake.reply = () => ({
      status: 400,
      errorType: 'ValidationException',
      body: { message: 'Malformed input request' },
    });
    const one = { ...request, context: [], candidates: candidates.slice(0, 1) }; // a single embedding call
    await expect(bedrock({ maxAttempts: 3 }).rank(one)).rejects.toMatchObject({
      name: 'ValidationException',
    });
    expect(fake.requests).toHaveLength(1);
  });

  it('retries a server error (500) and reports it when it persists', async () => {
    fake.reply = () => ({ status: 500, errorType: 'InternalServerException', body: { message: 'boom' } });
    await expect(
      bedrock({ maxAttempts: 2 }).rank({ ...request, candidates: candidates.slice(0, 1), context: [] }),
    ).rejects.toMatchObject({
      name: 'InternalServerException',
    });
    expect(fake.requests).toHaveLength(2);
  });

  it('times out a call that does not answer', async () => {
    fake.reply = () => 'hang';
    await expect(bedrock({ timeoutMs: 300, maxAttempts: 1 }).rank(request)).rejects.toMatchObject({
      name: 'TimeoutError',
    });
  });

  it('is refused with a wrong secret: the fake really checks SigV4', async () => {
    await expect(
      bedrock({ secret: 'not-the-right-secret', maxAttempts: 1 }).rank(request),
    ).rejects.toMatchObject({
      name: 'InvalidSignatureException',
    });
    expect(fake.requests.every((r) => !r.signatureValid)).toBe(true);
  });
});

describe('FallbackRecommender', () => {
  it('answers with the local ranking when Bedrock fails', async () => {
    fake.reply = () => ({
      status: 503,
      errorType: 'ServiceUnavailableException',
      body: { message: 'unavailable' },
    });
    const recommender = new FallbackRecommender(bedrock({ maxAttempts: 1 }), new LocalRecommender(), log);
    expect(ids(await recommender.rank(request))).toEqual(['p1', 'p2', 'p3']);
  });

  it('answers with the local ranking when Bedrock times out', async () => {
    fake.reply = () => 'hang';
    const recommender = new FallbackRecommender(
      bedrock({ timeoutMs: 300, maxAttempts: 1 }),
      new LocalRecommender(),
      log,
    );
    expect(ids(await recommender.rank(request))).toEqual(['p1', 'p2', 'p3']);
  });

  it('passes Bedrock’s answer through when it works', async () => {
    const recommender = new FallbackRecommender(bedrock(), new LocalRecommender(), log);
    expect(ids(await recommender.rank(request))).toEqual(['p3', 'p4', 'p2']);
  });
});

// The healthy reply, for replies that only change some requests.
const healthyFor = (req: Parameters<typeof healthyReply>[0], _i: number) => healthyReply(req);
