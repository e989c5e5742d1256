// "Retry later" codes from a subgraph set the client's HTTP status and Retry-After (error-status.ts).
import { HeaderMap, type GraphQLRequestContextWillSendResponse, type BaseContext } from '@apollo/server';
import { errorStatusPlugin } from '../src/error-status';

async function statusFor(errors: { message: string; extensions: Record<string, unknown> }[]) {
  const hooks = await errorStatusPlugin().requestDidStart!({} as never);
  const response = { http: { status: undefined as number | undefined, headers: new HeaderMap() }, body: { kind: 'single', singleResult: { errors } } };
  await hooks!.willSendResponse!({ response } as unknown as GraphQLRequestContextWillSendResponse<BaseContext>);
  return { status: response.http.status, retryAfter: response.http.headers.get('retry-after') };
}

describe('error statuses', () => {
  it.each([
    ['SERVICE_OVERLOADED', 503],
    ['TOO_MANY_ATTEMPTS', 429],
    ['RATE_LIMITED', 429],
  ])('%s answers %d with Retry-After', async (code, status) => {
    expect(await statusFor([{ message: 'later', extensions: { code, retryAfter: 2.2 } }])).toEqual({ status, retryAfter: '3' });
  });

  it('leaves other responses alone', async () => {
    expect(await statusFor([{ message: 'no', extensions: { code: 'FORBIDDEN' } }])).toEqual({ status: undefined, retryAfter: undefined });
  });
});
