import type { InsightsConfig } from '../../config';
import { AzureSentimentAnalyzer } from './azure';
import { LocalSentimentAnalyzer } from './local';
import type { SentimentAnalyzer } from './sentiment';

/** The analyser SENTIMENT_ANALYZER names. */
export function createSentimentAnalyzer(config: InsightsConfig): SentimentAnalyzer {
  if (config.SENTIMENT_ANALYZER === 'azure') {
    return new AzureSentimentAnalyzer({
      endpoint: config.AZURE_LANGUAGE_ENDPOINT!,
      key: config.AZURE_LANGUAGE_KEY!,
    });
  }
  return new LocalSentimentAnalyzer();
}
