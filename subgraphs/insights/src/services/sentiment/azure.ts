// Sentiment with Azure AI Language (@azure/ai-language-text): language detection first, then
// sentiment analysis in the detected language, in batches within the service's synchronous
// limits (10 documents per sentiment request, 1,000 per language detection request, 5,120
// characters per document). Throttling (429 with Retry-After) and transient failures are
// retried by the SDK's pipeline; per-document errors come back as failures of that document.
import { AzureKeyCredential, TextAnalysisClient } from '@azure/ai-language-text';
import {
  roundScore,
  SentimentServiceError,
  type DocumentResult,
  type SentimentAnalyzer,
  type SentimentDocument,
  type SentimentLabel,
} from './sentiment';

export const AZURE_LIMITS = { sentimentDocuments: 10, languageDocuments: 1_000, characters: 5_120 } as const;

export interface AzureSentimentOptions {
  endpoint: string;
  key: string;
  /** Used when detection gives no usable language. */
  defaultLanguage?: string;
  /** SDK retries of throttled or failed calls (default 3); delays as the service's Retry-After says. */
  maxRetries?: number;
  retryDelayInMs?: number;
}

const labels: Record<string, SentimentLabel> = {
  positive: 'POSITIVE',
  neutral: 'NEUTRAL',
  negative: 'NEGATIVE',
  mixed: 'MIXED',
};

const chunks = <T>(items: readonly T[], size: number): T[][] =>
  Array.from({ length: Math.ceil(items.length / size) }, (_, i) => items.slice(i * size, (i + 1) * size));

export class AzureSentimentAnalyzer implements SentimentAnalyzer {
  readonly name = 'azure';
  private readonly client: TextAnalysisClient;

  constructor(private readonly options: AzureSentimentOptions) {
    this.client = new TextAnalysisClient(options.endpoint, new AzureKeyCredential(options.key), {
      allowInsecureConnection: options.endpoint.startsWith('http://'),
      retryOptions: { maxRetries: options.maxRetries ?? 3, retryDelayInMs: options.retryDelayInMs ?? 800 },
    });
  }

  async analyze(documents: readonly SentimentDocument[]): Promise<Map<string, DocumentResult>> {
    const results = new Map<string, DocumentResult>();
    const inputs = documents.map((document) => ({
      id: document.id,
      text: document.text.slice(0, AZURE_LIMITS.characters),
    }));
    const languages = new Map<string, string>();
    for (const batch of chunks(inputs, AZURE_LIMITS.languageDocuments)) {
      const detected = await this.call(() => this.client.analyze('LanguageDetection', batch));
      for (const result of detected) {
        // "(Unknown)" comes back as iso6391Name "(Unknown)": fall back to the default.
        if (!result.error && /^[a-z]{2}(-[A-Za-z]+)?$/.test(result.primaryLanguage.iso6391Name)) {
          languages.set(result.id, result.primaryLanguage.iso6391Name);
        }
      }
    }
    const fallback = this.options.defaultLanguage ?? 'en';
    for (const batch of chunks(inputs, AZURE_LIMITS.sentimentDocuments)) {
      const analysed = await this.call(() =>
        this.client.analyze(
          'SentimentAnalysis',
          batch.map((input) => ({ ...input, language: languages.get(input.id) ?? fallback })),
        ),
      );
      for (const result of analysed) {
        if (result.error) {
          results.set(result.id, {
            error: { code: String(result.error.code), message: result.error.message },
          });
          continue;
        }
        const { positive, negative } = result.confidenceScores;
        results.set(result.id, {
          label: labels[result.sentiment] ?? 'NEUTRAL',
          score: roundScore(positive - negative),
          language: languages.get(result.id) ?? fallback,
        });
      }
    }
    return results;
  }

  private async call<T>(request: () => Promise<T>): Promise<T> {
    try {
      return await request();
    } catch (error) {
      // The SDK's RestError carries the HTTP status.
      const status = (error as { statusCode?: unknown }).statusCode;
      // 401/403: a wrong key or endpoint will not fix itself; anything else may.
      const retryable = status !== 401 && status !== 403 && status !== 400;
      throw new SentimentServiceError(
        `Azure AI Language call failed${typeof status === 'number' ? ` (HTTP ${status})` : ''}: ${(error as Error).message}`,
        retryable,
        { cause: error },
      );
    }
  }
}
