// The Amazon Bedrock adapter. Similarity: Titan text embeddings (InvokeModel
// amazon.titan-embed-text-v2:0) of each product's name, brand, category and description,
// compared by cosine with the context (the product, or the shopper's recent purchases) and
// blended with the local model's co-purchase score. Re-rank: a Claude model through the
// Converse API orders the shortlist and gives a one-line reason per product.
//
// Requests go over HTTP/1.1 (NodeHttpHandler): InvokeModel and Converse do not need the HTTP/2
// the client defaults to (only bidirectional streaming does), and it gives a per-request
// timeout. Throttling (429 ThrottlingException) and 5xx are retried by the SDK's standard retry
// strategy with exponential backoff, up to `maxAttempts`; anything still failing rejects, and
// FallbackRecommender answers with the local ranking instead.
import { createHash } from 'node:crypto';
import {
  BedrockRuntimeClient,
  ConverseCommand,
  InvokeModelCommand,
  type BedrockRuntimeClientConfig,
} from '@aws-sdk/client-bedrock-runtime';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { z } from 'zod';
import type { CatalogProduct, ScoredProduct } from '../../domain/engine/types';
import type { RankRequest, Recommender } from './port';

export interface BedrockRecommenderOptions {
  region: string;
  /** Unset: AWS's endpoint for the region. */
  endpoint?: string;
  embeddingModelId: string;
  rerankModelId: string;
  timeoutMs: number;
  maxAttempts: number;
  /** Unset: the SDK's default chain (environment, IRSA on EKS, …). Tests pass static ones. */
  credentials?: BedrockRuntimeClientConfig['credentials'];
  /** Titan v2 supports 256, 512 or 1024. */
  dimensions?: 256 | 512 | 1024;
}

const titanResponseSchema = z.object({ embedding: z.array(z.number()).min(1) });
const rerankSchema = z.array(z.object({ id: z.string(), reason: z.string().optional() }));

/** How much the embedding similarity counts against the local model's (normalised) score. */
const EMBEDDING_WEIGHT = 0.6;
const MAX_CACHED_EMBEDDINGS = 20_000;
const EMBED_CONCURRENCY = 4;

const productText = (product: CatalogProduct) =>
  `${product.name}. Brand: ${product.brand}. Category: ${product.category}. ${product.description}`;

export class BedrockRecommender implements Recommender {
  readonly name = 'bedrock';
  private readonly client: BedrockRuntimeClient;
  private readonly embeddings = new Map<string, number[]>();

  constructor(private readonly options: BedrockRecommenderOptions) {
    this.client = new BedrockRuntimeClient({
      region: options.region,
      endpoint: options.endpoint,
      credentials: options.credentials,
      maxAttempts: options.maxAttempts,
      requestHandler: new NodeHttpHandler({
        connectionTimeout: options.timeoutMs,
        // Without throwOnRequestTimeout the handler only warns when the deadline passes.
        requestTimeout: options.timeoutMs,
        throwOnRequestTimeout: true,
      }),
    });
  }

  async rank(request: RankRequest): Promise<ScoredProduct[]> {
    if (request.candidates.length === 0) return [];
    const shortlist = await this.byEmbedding(request);
    return this.rerank(request, shortlist.slice(0, Math.max(request.limit * 2, 10)));
  }

  destroy(): void {
    this.client.destroy();
  }

  /** Candidates by a blend of embedding similarity to the context and the model's own score. */
  private async byEmbedding(request: RankRequest): Promise<ScoredProduct[]> {
    const context = request.context.slice(0, 5);
    const vectors = await this.embedAll([
      ...context,
      ...request.candidates.map((candidate) => candidate.product),
    ]);
    const query = new Array<number>(vectors[0]?.length ?? 0).fill(0);
    context.forEach((_, i) => {
      // The most recent purchase counts most.
      const weight = 1 / (i + 1);
      vectors[i]!.forEach((value, d) => (query[d]! += weight * value));
    });
    const maxScore = Math.max(...request.candidates.map((candidate) => candidate.score), 1e-9);
    return request.candidates
      .map((candidate, i) => {
        const similarity = context.length > 0 ? cosine(query, vectors[context.length + i]!) : 0;
        return {
          productId: candidate.product.id,
          score: EMBEDDING_WEIGHT * similarity + (1 - EMBEDDING_WEIGHT) * (candidate.score / maxScore),
        };
      })
      .sort((a, b) => b.score - a.score);
  }

  /** Claude orders the shortlist and says why; ids it invents are ignored, ones it drops follow. */
  private async rerank(request: RankRequest, shortlist: ScoredProduct[]): Promise<ScoredProduct[]> {
    const byId = new Map(request.candidates.map((candidate) => [candidate.product.id, candidate.product]));
    const describe = (product: CatalogProduct) => ({
      id: product.id,
      name: product.name,
      brand: product.brand,
      category: product.category,
    });
    const prompt = [
      request.kind === 'similar'
        ? `A shopper is looking at this product: ${JSON.stringify(describe(request.context[0] ?? byId.get(shortlist[0]!.productId)!))}.`
        : `A shopper recently bought: ${JSON.stringify(request.context.map(describe))}.`,
      `Candidates: ${JSON.stringify(shortlist.map((entry) => describe(byId.get(entry.productId)!)))}.`,
      `Pick the ${request.limit} candidates the shopper is most likely to buy next, best first.`,
      'Answer with only a JSON array of {"id": string, "reason": string}, each reason one short sentence.',
    ].join('\n');
    const response = await this.client.send(
      new ConverseCommand({
        modelId: this.options.rerankModelId,
        system: [
          { text: 'You rank product recommendations for an online shop. Use only the candidate ids given.' },
        ],
        messages: [{ role: 'user', content: [{ text: prompt }] }],
        inferenceConfig: { maxTokens: 1_024, temperature: 0 },
      }),
    );
    const text = (response.output?.message?.content ?? []).map((block) => block.text ?? '').join('');
    const picked = parseRanking(text);
    const result: ScoredProduct[] = [];
    const seen = new Set<string>();
    for (const entry of picked ?? []) {
      if (!byId.has(entry.id) || seen.has(entry.id) || !shortlist.some((s) => s.productId === entry.id))
        continue;
      seen.add(entry.id);
      result.push({
        productId: entry.id,
        score: 1 - result.length / (shortlist.length + 1),
        reason: entry.reason?.trim(),
      });
    }
    for (const entry of shortlist)
      if (!seen.has(entry.productId)) result.push({ ...entry, score: entry.score / 2 });
    return result.slice(0, request.limit);
  }

  private async embedAll(products: CatalogProduct[]): Promise<number[][]> {
    const vectors = new Array<number[]>(products.length);
    let next = 0;
    const worker = async () => {
      while (next < products.length) {
        const i = next++;
        vectors[i] = await this.embed(productText(products[i]!));
      }
    };
    await Promise.all(Array.from({ length: Math.min(EMBED_CONCURRENCY, products.length) }, worker));
    return vectors;
  }

  /** One Titan embedding, cached by the text's hash (a product's text rarely changes). */
  private async embed(text: string): Promise<number[]> {
    const key = createHash('sha256').update(text).digest('base64url');
    const cached = this.embeddings.get(key);
    if (cached) return cached;
    const response = await this.client.send(
      new InvokeModelCommand({
        modelId: this.options.embeddingModelId,
        contentType: 'application/json',
        accept: 'application/json',
        body: JSON.stringify({
          inputText: text.slice(0, 8_000),
          dimensions: this.options.dimensions ?? 512,
          normalize: true,
        }),
      }),
    );
    const { embedding } = titanResponseSchema.parse(JSON.parse(new TextDecoder().decode(response.body)));
    if (this.embeddings.size >= MAX_CACHED_EMBEDDINGS) this.embeddings.clear();
    this.embeddings.set(key, embedding);
    return embedding;
  }
}

/** The first JSON array in the model's answer, or undefined when there is none that fits. */
function parseRanking(text: string): z.infer<typeof rerankSchema> | undefined {
  const start = text.indexOf('[');
  const end = text.lastIndexOf(']');
  if (start < 0 || end <= start) return undefined;
  try {
    const parsed = rerankSchema.safeParse(JSON.parse(text.slice(start, end + 1)));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

function cosine(a: readonly number[], b: readonly number[]): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    dot += a[i]! * b[i]!;
    na += a[i]! * a[i]!;
    nb += b[i]! * b[i]!;
  }
  return na === 0 || nb === 0 ? 0 : dot / Math.sqrt(na * nb);
}
