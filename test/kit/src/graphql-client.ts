import type { GraphQLFormattedError } from 'graphql';

export interface GraphQLResponse<TData = Record<string, unknown>> {
  status: number;
  data?: TData | null;
  errors?: GraphQLFormattedError[];
}

/** Posts one operation the way a client would, and returns status, data and errors. */
export async function postGraphQL<TData = Record<string, unknown>>(
  url: string,
  query: string,
  variables: Record<string, unknown> = {},
  headers: Record<string, string> = {},
): Promise<GraphQLResponse<TData>> {
  const { headers: _headers, ...response } = await postGraphQLWithHeaders<TData>(url, query, variables, headers);
  return response;
}

/** postGraphQL, with the response's HTTP headers (Retry-After, Cache-Control, …) as well. */
export async function postGraphQLWithHeaders<TData = Record<string, unknown>>(
  url: string,
  query: string,
  variables: Record<string, unknown> = {},
  headers: Record<string, string> = {},
): Promise<GraphQLResponse<TData> & { headers: Headers }> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as Omit<GraphQLResponse<TData>, 'status'>;
  return { status: response.status, ...body, headers: response.headers };
}

export const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

/** The codes of a response's errors, for compact assertions. */
export const errorCodes = (response: GraphQLResponse<unknown>) =>
  (response.errors ?? []).map((error) => error.extensions?.code);
