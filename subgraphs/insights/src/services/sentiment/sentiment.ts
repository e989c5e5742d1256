// The sentiment port: how a text reads. Adapters: local.ts (a lexicon-based analyser in the
// process, wink-nlp with its English model; the zero-install default) and azure.ts (Azure AI
// Language). Both answer per document, so one bad document never fails its batch.

export type SentimentLabel = 'POSITIVE' | 'NEUTRAL' | 'NEGATIVE' | 'MIXED';

export interface Sentiment {
  label: SentimentLabel;
  /** -1 (entirely negative) to 1 (entirely positive). */
  score: number;
  /** ISO 639-1 code of the text's language, when the analyser knows it. */
  language?: string;
}

export interface SentimentDocument {
  id: string;
  text: string;
}

/** A document the analyser refused (too long, unsupported language, empty…): retrying won't help. */
export interface DocumentFailure {
  error: { code: string; message: string };
}

export type DocumentResult = Sentiment | DocumentFailure;

export const isFailure = (result: DocumentResult): result is DocumentFailure => 'error' in result;

/** The whole call failed (a network error, throttling the client gave up on): retry later. */
export class SentimentServiceError extends Error {
  override name = 'SentimentServiceError';
  constructor(
    message: string,
    readonly retryable: boolean,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export interface SentimentAnalyzer {
  readonly name: string;
  /** One result per document id. Throws SentimentServiceError when the call itself fails. */
  analyze(documents: readonly SentimentDocument[]): Promise<Map<string, DocumentResult>>;
}

/** Scores are kept to 3 decimals: more is noise. */
export const roundScore = (score: number) => Math.round(Math.max(-1, Math.min(1, score)) * 1000) / 1000;

/** The label of a mean score (Product.sentiment), with the local analyser's thresholds. */
export function labelOfScore(score: number): SentimentLabel {
  if (score >= 0.05) return 'POSITIVE';
  if (score <= -0.05) return 'NEGATIVE';
  return 'NEUTRAL';
}
