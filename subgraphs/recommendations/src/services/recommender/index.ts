import type { Logger } from '@cloudmart/runtime';
import type { RecommendationsConfig } from '../../config';
import { BedrockRecommender } from './bedrock';
import { FallbackRecommender } from './fallback';
import { LocalRecommender } from './local';
import type { Recommender } from './port';

export type { RankRequest, Recommender } from './port';

/** The adapter RECOMMENDER names; Bedrock always degrades to the local ranking. */
export function createRecommender(config: RecommendationsConfig, log: Logger): Recommender {
  const local = new LocalRecommender();
  if (config.RECOMMENDER === 'local') return local;
  const bedrock = new BedrockRecommender({
    region: config.BEDROCK_REGION ?? config.AWS_REGION,
    endpoint: config.BEDROCK_ENDPOINT,
    embeddingModelId: config.BEDROCK_EMBEDDING_MODEL_ID,
    rerankModelId: config.BEDROCK_RERANK_MODEL_ID,
    timeoutMs: config.BEDROCK_TIMEOUT_MS,
    maxAttempts: config.BEDROCK_MAX_ATTEMPTS,
  });
  return new FallbackRecommender(bedrock, local, log);
}
