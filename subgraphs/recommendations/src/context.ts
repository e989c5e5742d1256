import type { BaseContext } from '@cloudmart/runtime';
import type { Recommendations } from './domain/recommendations';

export interface Context extends BaseContext {
  recommendations: Recommendations;
}
