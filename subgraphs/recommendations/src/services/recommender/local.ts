import type { RankRequest, Recommender } from './port';

/** The local default: the model's blend of co-purchase, content and popularity already ranks. */
export class LocalRecommender implements Recommender {
  readonly name = 'local';

  async rank(request: RankRequest) {
    return request.candidates
      .slice(0, request.limit)
      .map((candidate) => ({ productId: candidate.product.id, score: candidate.score }));
  }
}
