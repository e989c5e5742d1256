import type { BaseContext } from '@cloudmart/runtime';
import type { Support } from './domain/support';

export interface Context extends BaseContext {
  support: Support;
}
