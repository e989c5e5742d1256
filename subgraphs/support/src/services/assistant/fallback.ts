import type { Logger } from '@cloudmart/runtime';
import type { AssistantPort, AssistantReply, AssistantTurn } from './port';

/**
 * A provider that fails (down, throttled past its retries, timed out, refusing the key) must not
 * fail the customer's question: the turn is answered again by the local engine. Tools already run
 * by the provider are safe to run again (reads, an idempotent return request, one ticket per turn).
 */
export class FallbackAssistant implements AssistantPort {
  readonly engine;

  constructor(
    private readonly primary: AssistantPort,
    private readonly fallback: AssistantPort,
    private readonly log: Logger,
  ) {
    this.engine = primary.engine;
  }

  async reply(turn: AssistantTurn): Promise<AssistantReply> {
    try {
      return await this.primary.reply(turn);
    } catch (error) {
      this.log.warn(
        { err: error, engine: this.primary.engine },
        'support assistant provider failed; answering with the local engine',
      );
      return this.fallback.reply(turn);
    }
  }
}
