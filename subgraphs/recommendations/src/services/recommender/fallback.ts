import type { Logger } from '@cloudmart/runtime';
import type { RankRequest, Recommender } from './port';

/**
 * A provider that degrades: when it fails (errors, throttling after retries, timeouts), the
 * fallback's answer is returned instead and the failure is logged, so the query still succeeds.
 */
export class FallbackRecommender implements Recommender {
  readonly name: string;

  constructor(
    private readonly primary: Recommender,
    private readonly fallback: Recommender,
    private readonly log: Logger,
  ) {
    this.name = `${primary.name}, falling back to ${fallback.name}`;
  }

  async rank(request: RankRequest) {
    try {
      return await this.primary.rank(request);
    } catch (error) {
      this.log.warn(
        { err: error, provider: this.primary.name },
        `recommender failed; answering with ${this.fallback.name}`,
      );
      return this.fallback.rank(request);
    }
  }
}
