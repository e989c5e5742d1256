// A local HTTP server speaking the BigQuery REST API v2 (the parts the warehouse uses), for
// contract tests with the real @google-cloud/bigquery SDK. It is not BigQuery: it stores datasets,
// tables and streamed rows in memory and answers queries with the rows a test gives it, recording
// every request so the test can check what the SDK sent.
//
// Wire formats (https://cloud.google.com/bigquery/docs/reference/rest/v2):
// - datasets.get / tables.get: GET .../datasets/D[/tables/T] → the resource, or 404 notFound
// - datasets.insert / tables.insert: POST .../datasets[/D/tables] → the resource, or 409 duplicate
// - tabledata.insertAll: POST .../tables/T/insertAll {rows: [{insertId, json}]} →
//   {kind, insertErrors?: [{index, errors: [{reason, message}]}]} (rows not listed are stored)
// - jobs.query: POST .../queries {query, queryParameters, parameterMode, useLegacySql: false} →
//   {jobReference, jobComplete, schema, rows: [{f: [{v}]}], totalRows}
// - jobs.getQueryResults: GET .../queries/JOB → the same, once the job is complete
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
  method: string;
  path: string;
  body: Record<string, unknown> | undefined;
}

export interface QueryAnswer {
  fields: { name: string; type: string }[];
  rows: (string | null)[][];
}

export interface InsertFailure {
  /** Which rows fail: by the row's json. */
  matches(row: Record<string, unknown>): boolean;
  /** How many insertAll attempts fail for a matching row (Infinity: always). */
  times: number;
  reason?: string;
}

interface StoredTable {
  resource: Record<string, unknown>;
  rows: Map<string, Record<string, unknown>>;
  /** insertIds seen, with how many times each was sent. */
  insertIds: Map<string, number>;
}

export class FakeBigQueryServer {
  readonly requests: RecordedRequest[] = [];
  readonly datasets = new Map<string, Record<string, unknown>>();
  readonly tables = new Map<string, StoredTable>();
  /** Answers jobs.query; the default answers an empty result. */
  answer: (request: Record<string, unknown>) => QueryAnswer | { error: { code: number; message: string } } =
    () => ({
      fields: [],
      rows: [],
    });
  /** jobs.query replies jobComplete: false this many times, so the SDK polls getQueryResults. */
  pollsBeforeComplete = 0;
  readonly insertFailures: InsertFailure[] = [];
  private readonly jobs = new Map<string, { answer: QueryAnswer; pollsLeft: number }>();
  private server?: http.Server;
  private nextJob = 1;

  constructor(readonly accessToken = 'fake-bigquery-token') {}

  get url(): string {
    const { port } = this.server!.address() as AddressInfo;
    return `http://127.0.0.1:${port}`;
  }

  async start(): Promise<this> {
    this.server = http.createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
      req.on('end', () => {
        try {
          this.handle(req, body, res);
        } catch (error) {
          send(res, 500, { error: { code: 500, message: String(error), status: 'INTERNAL' } });
        }
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return this;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.server?.close(() => resolve()));
  }

  table(name: string): StoredTable | undefined {
    return [...this.tables.entries()].find(([key]) => key.endsWith(`/${name}`))?.[1];
  }

  private handle(req: http.IncomingMessage, rawBody: string, res: http.ServerResponse) {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const body = rawBody ? (JSON.parse(rawBody) as Record<string, unknown>) : undefined;
    this.requests.push({ method: req.method ?? 'GET', path: url.pathname, body });
    if (req.headers.authorization !== `Bearer ${this.accessToken}`) {
      return send(res, 401, {
        error: {
          code: 401,
          message: 'Request is missing required authentication credential.',
          status: 'UNAUTHENTICATED',
        },
      });
    }
    const match = /^\/bigquery\/v2\/projects\/([^/]+)(\/.*)?$/.exec(url.pathname);
    if (!match) return notFound(res, url.pathname);
    const [, project, rest = ''] = match;
    let m: RegExpExecArray | null;

    if (req.method === 'POST' && rest === '/datasets') {
      const reference = body!.datasetReference as { datasetId: string };
      const key = `${project}/${reference.datasetId}`;
      if (this.datasets.has(key)) return duplicate(res, `Dataset ${key}`);
      const resource = { kind: 'bigquery#dataset', id: `${project}:${reference.datasetId}`, ...body };
      this.datasets.set(key, resource);
      return send(res, 200, resource);
    }
    if ((m = /^\/datasets\/([^/]+)$/.exec(rest)) && req.method === 'GET') {
      const dataset = this.datasets.get(`${project}/${m[1]}`);
      return dataset ? send(res, 200, dataset) : notFound(res, `Dataset ${project}:${m[1]}`);
    }
    if ((m = /^\/datasets\/([^/]+)\/tables$/.exec(rest)) && req.method === 'POST') {
      if (!this.datasets.has(`${project}/${m[1]}`)) return notFound(res, `Dataset ${project}:${m[1]}`);
      const reference = body!.tableReference as { tableId: string };
      const key = `${project}/${m[1]}/${reference.tableId}`;
      if (this.tables.has(key)) return duplicate(res, `Table ${key}`);
      const resource = { kind: 'bigquery#table', id: `${project}:${m[1]}.${reference.tableId}`, ...body };
      this.tables.set(key, { resource, rows: new Map(), insertIds: new Map() });
      return send(res, 200, resource);
    }
    if ((m = /^\/datasets\/([^/]+)\/tables\/([^/]+)$/.exec(rest)) && req.method === 'GET') {
      const table = this.tables.get(`${project}/${m[1]}/${m[2]}`);
      return table ? send(res, 200, table.resource) : notFound(res, `Table ${project}:${m[1]}.${m[2]}`);
    }
    if ((m = /^\/datasets\/([^/]+)\/tables\/([^/]+)\/insertAll$/.exec(rest)) && req.method === 'POST') {
      const table = this.tables.get(`${project}/${m[1]}/${m[2]}`);
      if (!table) return notFound(res, `Table ${project}:${m[1]}.${m[2]}`);
      return send(
        res,
        200,
        this.insertAll(table, body!.rows as { insertId?: string; json: Record<string, unknown> }[]),
      );
    }
    if (rest === '/queries' && req.method === 'POST') {
      const answer = this.answer(body!);
      if ('error' in answer) {
        return send(res, answer.error.code, {
          error: { ...answer.error, errors: [{ reason: 'invalidQuery', message: answer.error.message }] },
        });
      }
      const jobId = `job_${this.nextJob++}`;
      this.jobs.set(jobId, { answer, pollsLeft: this.pollsBeforeComplete });
      return send(res, 200, this.jobResponse(project!, jobId, String(body!.location ?? 'US')));
    }
    if ((m = /^\/queries\/([^/]+)$/.exec(rest)) && req.method === 'GET') {
      if (!this.jobs.has(m[1]!)) return notFound(res, `Job ${m[1]}`);
      return send(res, 200, this.jobResponse(project!, m[1]!, url.searchParams.get('location') ?? 'US'));
    }
    return notFound(res, url.pathname);
  }

  private insertAll(table: StoredTable, rows: { insertId?: string; json: Record<string, unknown> }[]) {
    const insertErrors: {
      index: number;
      errors: { reason: string; message: string; location?: string }[];
    }[] = [];
    const failedIndexes = new Set<number>();
    rows.forEach((row, index) => {
      const failure = this.insertFailures.find((f) => f.times > 0 && f.matches(row.json));
      if (failure) {
        failure.times -= 1;
        failedIndexes.add(index);
        insertErrors.push({
          index,
          errors: [{ reason: failure.reason ?? 'backendError', message: 'Row could not be inserted.' }],
        });
      }
    });
    // As BigQuery: when some rows fail, the others of the request are not stored either
    // ("stopped"), unless skipInvalidRows is set; the SDK retries every row listed.
    if (insertErrors.length > 0) {
      rows.forEach((_row, index) => {
        if (!failedIndexes.has(index))
          insertErrors.push({ index, errors: [{ reason: 'stopped', message: '' }] });
      });
      return { kind: 'bigquery#tableDataInsertAllResponse', insertErrors };
    }
    for (const row of rows) {
      const id = row.insertId ?? `${Math.random()}`;
      table.insertIds.set(id, (table.insertIds.get(id) ?? 0) + 1);
      // Best-effort de-duplication on insertId, as BigQuery does within its window.
      if (!table.rows.has(id)) table.rows.set(id, row.json);
    }
    return { kind: 'bigquery#tableDataInsertAllResponse' };
  }

  private jobResponse(projectId: string, jobId: string, location: string) {
    const job = this.jobs.get(jobId)!;
    const jobReference = { projectId, jobId, location };
    if (job.pollsLeft > 0) {
      job.pollsLeft -= 1;
      return { kind: 'bigquery#queryResponse', jobReference, jobComplete: false };
    }
    return {
      kind: 'bigquery#queryResponse',
      jobReference,
      jobComplete: true,
      schema: { fields: job.answer.fields.map((field) => ({ ...field, mode: 'NULLABLE' })) },
      rows: job.answer.rows.map((row) => ({ f: row.map((v) => ({ v })) })),
      totalRows: String(job.answer.rows.length),
      cacheHit: false,
    };
  }
}

function send(res: http.ServerResponse, status: number, body: unknown) {
  res.writeHead(status, { 'content-type': 'application/json; charset=UTF-8' });
  res.end(JSON.stringify(body));
}

const notFound = (res: http.ServerResponse, what: string) =>
  send(res, 404, {
    error: {
      code: 404,
      message: `Not found: ${what}`,
      status: 'NOT_FOUND',
      errors: [{ reason: 'notFound', message: `Not found: ${what}` }],
    },
  });

const duplicate = (res: http.ServerResponse, what: string) =>
  send(res, 409, {
    error: {
      code: 409,
      message: `Already Exists: ${what}`,
      status: 'ALREADY_EXISTS',
      errors: [{ reason: 'duplicate', message: `Already Exists: ${what}` }],
    },
  });
