import type { Logger } from '@cloudmart/runtime';
import type { SupportConfig } from '../../config';
import { FallbackAssistant } from './fallback';
import { LocalAssistant } from './local-engine';
import { OpenAIAssistant } from './openai';
import type { AssistantPort } from './port';

/** SUPPORT_ASSISTANT picks the adapter; OpenAI always falls back to the local engine. */
export function createAssistant(config: SupportConfig, log: Logger): AssistantPort {
  const local = new LocalAssistant();
  if (config.SUPPORT_ASSISTANT === 'local') return local;
  const openai = new OpenAIAssistant({
    apiKey: config.OPENAI_API_KEY!,
    baseURL: config.OPENAI_BASE_URL,
    model: config.OPENAI_MODEL,
    timeoutMs: config.OPENAI_TIMEOUT_MS,
    maxRetries: config.OPENAI_MAX_RETRIES,
  });
  return new FallbackAssistant(openai, local, log);
}
