import http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A local server speaking OpenAI's Chat Completions wire format (POST /v1/chat/completions, JSON
 * or SSE streaming, function tool calls, OpenAI-shaped errors), driven by a tiny scripted "model":
 * - a user turn naming an order number (CM-XXXXXXXXXX) calls getOrderStatus, or startReturn when
 *   it says "return"; "policy" calls getReturnPolicy; "ticket" calls createTicket;
 * - a turn ending in tool results answers with a sentence quoting each result's JSON.
 * Failures are injected per request (status with headers, or a delay before answering), so the
 * real SDK's retries, backoff and timeouts are exercised.
 */

export interface ChatRequestBody {
  model: string;
  stream?: boolean;
  tools?: { type: string; function: { name: string } }[];
  messages: { role: string; content?: string | null; tool_call_id?: string; tool_calls?: unknown[] }[];
}

export type Injected =
  { status: number; headers?: Record<string, string>; message?: string } | { delayMs: number };

export interface FakeOpenAI {
  /** Pass as the SDK's baseURL. */
  baseURL: string;
  apiKey: string;
  /** Every request body received, in order (including failed ones). */
  requests: ChatRequestBody[];
  /** Behaviours for the next requests, consumed one per request. */
  inject(...behaviours: Injected[]): void;
  /** Every further request fails with this status (until cleared with null). */
  failAll(status: number | null): void;
  close(): Promise<void>;
}

interface ToolCall {
  id: string;
  type: 'function';
  function: { name: string; arguments: string };
}

let callNumber = 0;

function decide(body: ChatRequestBody): { content?: string; toolCalls?: ToolCall[] } {
  const last = body.messages.at(-1);
  if (last?.role === 'tool') {
    const results = body.messages
      .slice(body.messages.findLastIndex((message) => message.role === 'assistant') + 1)
      .filter((message) => message.role === 'tool')
      .map((message) => message.content ?? '');
    return { content: `Here is what I found: ${results.join(' | ')}` };
  }
  const text = String(last?.content ?? '');
  const call = (name: string, args: Record<string, unknown>): { toolCalls: ToolCall[] } => ({
    toolCalls: [
      { id: `call_${++callNumber}`, type: 'function', function: { name, arguments: JSON.stringify(args) } },
    ],
  });
  const number = /CM-[0-9A-F]{10}/i.exec(text)?.[0];
  if (/ticket/i.test(text))
    return call('createTicket', { summary: text, ...(number ? { orderNumber: number } : {}) });
  if (number && /return/i.test(text)) return call('startReturn', { orderNumber: number });
  if (number) return call('getOrderStatus', { orderNumber: number });
  if (/policy/i.test(text)) return call('getReturnPolicy', {});
  if (/my orders/i.test(text)) return call('listMyOrders', {});
  return { content: 'How can I help you today?' };
}

const completionId = () => `chatcmpl-${Math.random().toString(36).slice(2)}`;

function sendJson(
  res: http.ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
) {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}

function sendError(
  res: http.ServerResponse,
  status: number,
  headers: Record<string, string> = {},
  message?: string,
) {
  const type = status === 429 ? 'rate_limit_exceeded' : status === 401 ? 'invalid_api_key' : 'server_error';
  sendJson(
    res,
    status,
    { error: { message: message ?? `Injected ${status}`, type, param: null, code: type } },
    headers,
  );
}

/** The SSE stream: a role chunk, the content in small pieces or the tool calls in two halves, a finish chunk, [DONE]. */
function sendStream(res: http.ServerResponse, model: string, reply: ReturnType<typeof decide>) {
  const id = completionId();
  const created = Math.floor(Date.now() / 1000);
  res.writeHead(200, {
    'content-type': 'text/event-stream',
    'cache-control': 'no-cache',
    connection: 'keep-alive',
  });
  const chunk = (delta: Record<string, unknown>, finish: string | null = null) =>
    res.write(
      `data: ${JSON.stringify({ id, object: 'chat.completion.chunk', created, model, choices: [{ index: 0, delta, finish_reason: finish, logprobs: null }] })}\n\n`,
    );
  chunk({ role: 'assistant', content: '' });
  if (reply.toolCalls) {
    reply.toolCalls.forEach((call, index) => {
      const half = Math.ceil(call.function.arguments.length / 2);
      chunk({
        tool_calls: [
          {
            index,
            id: call.id,
            type: 'function',
            function: { name: call.function.name, arguments: call.function.arguments.slice(0, half) },
          },
        ],
      });
      chunk({ tool_calls: [{ index, function: { arguments: call.function.arguments.slice(half) } }] });
    });
    chunk({}, 'tool_calls');
  } else {
    const content = reply.content ?? '';
    for (let i = 0; i < content.length; i += 12) chunk({ content: content.slice(i, i + 12) });
    chunk({}, 'stop');
  }
  res.write('data: [DONE]\n\n');
  res.end();
}

export async function startFakeOpenAI(apiKey = 'sk-test-local'): Promise<FakeOpenAI> {
  const requests: ChatRequestBody[] = [];
  const queue: Injected[] = [];
  let failing: number | null = null;
  const sockets = new Set<import('node:net').Socket>();
  const timers = new Set<NodeJS.Timeout>();

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (part: Buffer) => chunks.push(part));
    req.on('end', () => {
      void (async () => {
        if (req.method !== 'POST' || req.url !== '/v1/chat/completions') return sendError(res, 404);
        if (req.headers.authorization !== `Bearer ${apiKey}`)
          return sendError(res, 401, {}, 'Incorrect API key provided');
        const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as ChatRequestBody;
        requests.push(body);
        const injected = queue.shift();
        if (injected && 'delayMs' in injected) {
          await new Promise((resolve) => timers.add(setTimeout(resolve, injected.delayMs)));
        } else if (injected) return sendError(res, injected.status, injected.headers, injected.message);
        if (failing !== null) return sendError(res, failing);
        if (res.destroyed) return; // the client gave up (timeout)
        const reply = decide(body);
        if (body.stream) return sendStream(res, body.model, reply);
        sendJson(res, 200, {
          id: completionId(),
          object: 'chat.completion',
          created: Math.floor(Date.now() / 1000),
          model: body.model,
          choices: [
            {
              index: 0,
              message: {
                role: 'assistant',
                content: reply.content ?? null,
                ...(reply.toolCalls ? { tool_calls: reply.toolCalls } : {}),
              },
              finish_reason: reply.toolCalls ? 'tool_calls' : 'stop',
              logprobs: null,
            },
          ],
          usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 },
        });
      })();
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseURL: `http://127.0.0.1:${port}/v1`,
    apiKey,
    requests,
    inject: (...behaviours) => queue.push(...behaviours),
    failAll: (status) => {
      failing = status;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const timer of timers) clearTimeout(timer);
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
