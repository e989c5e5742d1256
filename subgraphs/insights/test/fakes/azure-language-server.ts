// A local HTTP server speaking Azure AI Language's synchronous text analysis API
// (POST {endpoint}/language/:analyze-text?api-version=2023-04-01), the parts the sentiment adapter
// uses, for contract tests with the real @azure/ai-language-text SDK. Not Azure: the "model" is
// a function the test gives; everything else follows the documented wire format:
// - auth: the Ocp-Apim-Subscription-Key header, else 401;
// - limits: at most 10 documents per SentimentAnalysis request and 1,000 per LanguageDetection
//   request (else 400 InvalidDocumentBatch), 5,120 characters per document;
// - per-document errors in results.errors ([{id, error: {code, message, innererror}}]) for an
//   empty document or an unsupported language;
// - throttling: 429 with a Retry-After header (seconds) while `throttle` > 0.
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeSentiment {
  sentiment: 'positive' | 'neutral' | 'negative' | 'mixed';
  positive: number;
  neutral: number;
  negative: number;
}

export interface RecordedCall {
  kind: string;
  documents: { id: string; text: string; language?: string; countryHint?: string }[];
  status: number;
}

const SUPPORTED = new Set(['en', 'es', 'fr', 'de']);
const LIMITS: Record<string, number> = { SentimentAnalysis: 10, LanguageDetection: 1_000 };

export class FakeAzureLanguageServer {
  readonly calls: RecordedCall[] = [];
  /** Requests still to answer with 429 (and Retry-After). */
  throttle = 0;
  retryAfterSeconds = 1;
  /** Requests still to answer with 500. */
  failures = 0;
  private server?: http.Server;

  constructor(
    readonly key: string,
    /** The "model": a text's sentiment. */
    private readonly model: (text: string) => FakeSentiment,
    /** The language a text is in (ISO 639-1), or null when it cannot be told. */
    private readonly detect: (text: string) => string | null = () => 'en',
  ) {}

  get endpoint(): string {
    const { port } = this.server!.address() as AddressInfo;
    return `http://127.0.0.1:${port}`;
  }

  async start(): Promise<this> {
    this.server = http.createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
      req.on('end', () => this.handle(req, body, res));
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return this;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.server?.close(() => resolve()));
  }

  private handle(req: http.IncomingMessage, rawBody: string, res: http.ServerResponse) {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (req.method !== 'POST' || url.pathname !== '/language/:analyze-text') {
      return send(res, 404, { error: { code: '404', message: 'Resource not found' } });
    }
    const body = JSON.parse(rawBody || '{}') as {
      kind: string;
      analysisInput: { documents: RecordedCall['documents'] };
    };
    const documents = body.analysisInput?.documents ?? [];
    const record = (status: number) => this.calls.push({ kind: body.kind, documents, status });
    if (req.headers['ocp-apim-subscription-key'] !== this.key) {
      record(401);
      return send(res, 401, {
        error: {
          code: '401',
          message: 'Access denied due to invalid subscription key or wrong API endpoint.',
        },
      });
    }
    if (url.searchParams.get('api-version') !== '2023-04-01') {
      record(400);
      return send(res, 400, { error: { code: 'InvalidRequest', message: 'Unsupported api-version' } });
    }
    if (this.throttle > 0) {
      this.throttle -= 1;
      record(429);
      return send(
        res,
        429,
        { error: { code: '429', message: 'Rate limit is exceeded. Try again later.' } },
        { 'retry-after': String(this.retryAfterSeconds) },
      );
    }
    if (this.failures > 0) {
      this.failures -= 1;
      record(500);
      return send(res, 500, { error: { code: 'InternalServerError', message: 'Internal error.' } });
    }
    const limit = LIMITS[body.kind];
    if (limit === undefined) {
      record(400);
      return send(res, 400, { error: { code: 'InvalidArgument', message: `Unsupported kind ${body.kind}` } });
    }
    if (documents.length > limit) {
      record(400);
      return send(res, 400, {
        error: {
          code: 'InvalidArgument',
          message: 'Invalid document in request.',
          innererror: {
            code: 'InvalidDocumentBatch',
            message: `Batch request contains too many records. Max ${limit} records are permitted.`,
          },
        },
      });
    }
    record(200);
    const results = { documents: [] as unknown[], errors: [] as unknown[], modelVersion: '2022-11-01' };
    for (const document of documents) {
      const problem = this.problemWith(document, body.kind);
      if (problem) {
        results.errors.push({
          id: document.id,
          error: { code: 'InvalidArgument', message: 'Invalid document in request.', innererror: problem },
        });
      } else if (body.kind === 'LanguageDetection') {
        const language = this.detect(document.text);
        results.documents.push({
          id: document.id,
          detectedLanguage: language
            ? { name: language, iso6391Name: language, confidenceScore: 0.95 }
            : { name: '(Unknown)', iso6391Name: '(Unknown)', confidenceScore: 0 },
          warnings: [],
        });
      } else {
        const scores = this.model(document.text);
        const confidenceScores = {
          positive: scores.positive,
          neutral: scores.neutral,
          negative: scores.negative,
        };
        results.documents.push({
          id: document.id,
          sentiment: scores.sentiment,
          confidenceScores,
          sentences: [
            {
              text: document.text,
              sentiment: scores.sentiment === 'mixed' ? 'neutral' : scores.sentiment,
              confidenceScores,
              offset: 0,
              length: document.text.length,
            },
          ],
          warnings: [],
        });
      }
    }
    send(res, 200, {
      kind: body.kind === 'LanguageDetection' ? 'LanguageDetectionResults' : 'SentimentAnalysisResults',
      results,
    });
  }

  private problemWith(document: RecordedCall['documents'][number], kind: string) {
    if (!document.text?.trim()) return { code: 'InvalidDocument', message: 'Document text is empty.' };
    if ([...document.text].length > 5_120) {
      return {
        code: 'InvalidDocument',
        message: 'A document within the request was too large to be processed.',
      };
    }
    if (kind === 'SentimentAnalysis' && document.language && !SUPPORTED.has(document.language)) {
      return { code: 'UnsupportedLanguageCode', message: `Invalid language code '${document.language}'.` };
    }
    return null;
  }
}

function send(res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
  res.end(JSON.stringify(body));
}
