// The Azure AI Language sentiment adapter with the real @azure/ai-language-text SDK against a
// local server speaking the :analyze-text API (test/fakes/azure-language-server.ts): language
// detection then sentiment in the detected language, batches of at most 10 documents,
// per-document errors, 401, and 429 with Retry-After retried by the SDK.
import { AzureSentimentAnalyzer } from '../src/services/sentiment/azure';
import { isFailure, SentimentServiceError } from '../src/services/sentiment/sentiment';
import { FakeAzureLanguageServer, type FakeSentiment } from './fakes/azure-language-server';

const KEY = 'fake-azure-key';

/** The fake's "model": keywords decide, with Azure-style confidence scores. */
function model(text: string): FakeSentiment {
  const good = /great|love|excelente|génial/i.test(text);
  const bad = /terrible|broke|horrible/i.test(text);
  if (good && bad) return { sentiment: 'mixed', positive: 0.45, neutral: 0.1, negative: 0.45 };
  if (good) return { sentiment: 'positive', positive: 0.9, neutral: 0.08, negative: 0.02 };
  if (bad) return { sentiment: 'negative', positive: 0.05, neutral: 0.1, negative: 0.85 };
  return { sentiment: 'neutral', positive: 0.1, neutral: 0.8, negative: 0.1 };
}

const detect = (text: string) =>
  /excelente|producto/.test(text)
    ? 'es'
    : /bonjour|génial/.test(text)
      ? 'fr'
      : /qwzx/.test(text)
        ? 'xx'
        : 'en';

describe('Azure AI Language sentiment (contract, real SDK against a local :analyze-text server)', () => {
  let fake: FakeAzureLanguageServer;
  const analyzer = (key = KEY, maxRetries = 3) =>
    new AzureSentimentAnalyzer({ endpoint: fake.endpoint, key, maxRetries, retryDelayInMs: 10 });

  beforeAll(async () => {
    fake = await new FakeAzureLanguageServer(KEY, model, detect).start();
  });
  afterAll(() => fake?.stop());
  beforeEach(() => {
    fake.calls.length = 0;
    fake.throttle = 0;
    fake.failures = 0;
  });

  it('detects each language, then analyses in batches of at most 10 documents', async () => {
    const documents = Array.from({ length: 23 }, (_, i) => ({
      id: `r${i}`,
      text:
        i % 4 === 0
          ? 'Producto excelente'
          : i % 4 === 1
            ? 'Terrible, it broke'
            : i % 4 === 2
              ? 'I love it, great'
              : 'It is a box',
    }));
    const results = await analyzer().analyze(documents);
    expect(fake.calls.map((call) => [call.kind, call.documents.length, call.status])).toEqual([
      ['LanguageDetection', 23, 200],
      ['SentimentAnalysis', 10, 200],
      ['SentimentAnalysis', 10, 200],
      ['SentimentAnalysis', 3, 200],
    ]);
    // The detected language goes with each document.
    const sent = fake.calls
      .filter((call) => call.kind === 'SentimentAnalysis')
      .flatMap((call) => call.documents);
    expect(sent.find((d) => d.id === 'r0')!.language).toBe('es');
    expect(sent.find((d) => d.id === 'r1')!.language).toBe('en');
    expect(results.size).toBe(23);
    expect(results.get('r0')).toEqual({ label: 'POSITIVE', score: 0.88, language: 'es' });
    expect(results.get('r1')).toEqual({ label: 'NEGATIVE', score: -0.8, language: 'en' });
    expect(results.get('r2')).toEqual({ label: 'POSITIVE', score: 0.88, language: 'en' });
    expect(results.get('r3')).toEqual({ label: 'NEUTRAL', score: 0, language: 'en' });
  });

  it('returns per-document errors as failures of those documents only', async () => {
    const results = await analyzer().analyze([
      { id: 'ok', text: 'Great, but it broke' },
      { id: 'empty', text: '   ' },
      { id: 'unsupported', text: 'qwzx qwzx' },
    ]);
    expect(results.get('ok')).toEqual({ label: 'MIXED', score: 0, language: 'en' });
    const empty = results.get('empty')!;
    const unsupported = results.get('unsupported')!;
    expect(isFailure(empty) && empty.error.code).toBe('InvalidDocument');
    expect(isFailure(unsupported) && unsupported.error.code).toBe('UnsupportedLanguageCode');
  });

  it('retries a throttled request (429 with Retry-After) and then succeeds', async () => {
    fake.throttle = 2;
    const results = await analyzer().analyze([{ id: 'a', text: 'I love it' }]);
    expect(results.get('a')).toMatchObject({ label: 'POSITIVE' });
    expect(fake.calls.map((call) => [call.kind, call.status])).toEqual([
      ['LanguageDetection', 429],
      ['LanguageDetection', 429],
      ['LanguageDetection', 200],
      ['SentimentAnalysis', 200],
    ]);
  });

  it('gives up on throttling after the retries, as a retryable error for the worker', async () => {
    fake.throttle = 10;
    const error = await analyzer(KEY, 1)
      .analyze([{ id: 'a', text: 'I love it' }])
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SentimentServiceError);
    expect(error).toMatchObject({ retryable: true, message: expect.stringContaining('HTTP 429') });
    expect(fake.calls.map((call) => call.status)).toEqual([429, 429]);
  });

  it('reports a wrong key (401) as not retryable', async () => {
    const error = await analyzer('wrong-key')
      .analyze([{ id: 'a', text: 'I love it' }])
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SentimentServiceError);
    expect(error).toMatchObject({ retryable: false, message: expect.stringContaining('HTTP 401') });
    expect(fake.calls.map((call) => call.status)).toEqual([401]);
  });
});
