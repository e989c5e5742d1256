// The zero-install sentiment analyser: wink-nlp's English model scores each sentence from its
// sentiment lexicon (with negation and intensity handling) in [-1, 1]. A text with a clearly
// positive and a clearly negative sentence is MIXED; otherwise its overall score decides. English
// only — that is what the lexicon knows; other languages mostly come out NEUTRAL.
import winkNLP from 'wink-nlp';
import model from 'wink-eng-lite-web-model';
import {
  labelOfScore,
  roundScore,
  type DocumentResult,
  type SentimentAnalyzer,
  type SentimentDocument,
  type SentimentLabel,
} from './sentiment';

/** A sentence at or beyond ±this counts as clearly positive or negative. */
const CLEAR_SENTENCE = 0.25;
/** Longer texts are cut (the lexicon needs no more to judge a review). */
const MAX_CHARS = 5_120;

export class LocalSentimentAnalyzer implements SentimentAnalyzer {
  readonly name = 'local';
  private readonly nlp = winkNLP(model);

  async analyze(documents: readonly SentimentDocument[]): Promise<Map<string, DocumentResult>> {
    const results = new Map<string, DocumentResult>();
    for (const document of documents) {
      if (document.text.trim() === '') {
        results.set(document.id, { error: { code: 'InvalidDocument', message: 'The document is empty.' } });
        continue;
      }
      const doc = this.nlp.readDoc(document.text.slice(0, MAX_CHARS));
      const score = roundScore(doc.out(this.nlp.its.sentiment) as unknown as number);
      const sentences = doc.sentences().out(this.nlp.its.sentiment) as unknown as number[];
      const mixed = sentences.some((s) => s >= CLEAR_SENTENCE) && sentences.some((s) => s <= -CLEAR_SENTENCE);
      const label: SentimentLabel = mixed ? 'MIXED' : labelOfScore(score);
      results.set(document.id, { label, score, language: 'en' });
    }
    return results;
  }
}
