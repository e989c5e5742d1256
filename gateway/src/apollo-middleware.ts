import type { ApolloServer, BaseContext, ContextFunction } from '@apollo/server';
import { HeaderMap } from '@apollo/server';
import type { Request, RequestHandler, Response } from 'express';

/**
 * `expressMiddleware` of @as-integrations/express5, line for line, except for how the query string
 * is found: the integration runs Node's legacy `url.parse` on every request (about 2 % of the
 * gateway's CPU under the bench load, docs/performance.md), where the part of the URL from `?` on
 * is all Apollo Server reads. Used when LEAN_PIPELINE is on.
 */
export function leanExpressMiddleware<TContext extends BaseContext>(
  server: ApolloServer<TContext>,
  options: { context: ContextFunction<[{ req: Request; res: Response }], TContext> },
): RequestHandler {
  server.assertStarted('leanExpressMiddleware()');
  const { context } = options;
  return async (req, res) => {
    if (!('body' in req)) {
      res.status(500);
      res.send(
        '`req.body` is not set; this probably means you forgot to set up the ' +
          '`json` middleware before the Apollo Server middleware.',
      );
      return;
    }
    const headers = new HeaderMap();
    for (const [key, value] of Object.entries(req.headers)) {
      if (value !== undefined) headers.set(key, Array.isArray(value) ? value.join(', ') : value);
    }
    const queryAt = req.url.indexOf('?');
    const httpGraphQLResponse = await server.executeHTTPGraphQLRequest({
      httpGraphQLRequest: {
        method: req.method.toUpperCase(),
        headers,
        search: queryAt >= 0 ? req.url.slice(queryAt) : '',
        body: req.body as unknown,
      },
      context: () => context({ req, res }),
    });
    for (const [key, value] of httpGraphQLResponse.headers) res.setHeader(key, value);
    res.statusCode = httpGraphQLResponse.status || 200;
    if (httpGraphQLResponse.body.kind === 'complete') {
      res.send(httpGraphQLResponse.body.string);
      return;
    }
    for await (const chunk of httpGraphQLResponse.body.asyncIterator) {
      res.write(chunk);
      const flushable = res as Response & { flush?: () => void };
      if (typeof flushable.flush === 'function') flushable.flush();
    }
    res.end();
  };
}
