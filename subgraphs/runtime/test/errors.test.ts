// Which failures are "could not reach it, retry" (SERVICE_UNAVAILABLE) and which stay masked.
import { GraphQLError } from 'graphql';
import { isConnectionFailure, maskUnexpectedErrors } from '../src/errors';

const socketError = (code: string) => Object.assign(new Error(`connect ${code} 127.0.0.1:1`), { code, errno: -111, syscall: 'connect' });

describe('isConnectionFailure', () => {
  it.each([
    ['a refused connection (the AWS SDK passes Node’s error on, with $metadata)', Object.assign(socketError('ECONNREFUSED'), { $metadata: { attempts: 4 } })],
    ['a reset connection', socketError('ECONNRESET')],
    ['the AWS SDK’s wrapper of a socket error it did not recognise', Object.assign(new Error('AWS SDK error wrapper for Error: connect ECONNREFUSED 127.0.0.1:8000'), { $metadata: { attempts: 4 } })],
    ['fetch failing on a refused socket', Object.assign(new TypeError('fetch failed'), { cause: socketError('ECONNREFUSED') })],
    ['undici’s closed socket', Object.assign(new Error('other side closed'), { code: 'UND_ERR_SOCKET' })],
    ['a timeout', Object.assign(new Error('timed out'), { name: 'TimeoutError' })],
    ['AWS throttling (retryable)', Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException', $retryable: { throttling: true }, $metadata: { httpStatusCode: 400 } })],
    ['a 5xx from the store', Object.assign(new Error('Internal'), { name: 'InternalServerError', $metadata: { httpStatusCode: 500 } })],
    ['Prisma losing its database', Object.assign(new Error("Can't reach database server"), { code: 'P1001' })],
    ['any of those wrapped as a cause', new Error('loading the order failed', { cause: socketError('ECONNREFUSED') })],
  ])('%s: yes', (_what, error) => {
    expect(isConnectionFailure(error)).toBe(true);
  });

  it.each([
    ['a bug', new TypeError("Cannot read properties of undefined (reading 'id')")],
    ['a conditional write that lost', Object.assign(new Error('The conditional request failed'), { name: 'ConditionalCheckFailedException', $metadata: { httpStatusCode: 400 } })],
    ['a 4xx validation error of the store', Object.assign(new Error('One or more parameter values were invalid'), { name: 'ValidationException', $metadata: { httpStatusCode: 400 } })],
    ['not an error', 'ECONNREFUSED'],
  ])('%s: no', (_what, error) => {
    expect(isConnectionFailure(error)).toBe(false);
  });
});

describe('maskUnexpectedErrors', () => {
  const logged: string[] = [];
  const log = { error: (_obj: object, msg: string) => logged.push(`error: ${msg}`), warn: (_obj: object, msg: string) => logged.push(`warn: ${msg}`) };
  const mask = maskUnexpectedErrors(log);
  const formatted = (message: string) => ({ message, path: ['product'], extensions: { code: 'INTERNAL_SERVER_ERROR', stacktrace: ['at secret.ts:1'] } });

  it('turns a store that could not be reached into SERVICE_UNAVAILABLE, retryable', () => {
    const error = new GraphQLError('connect ECONNREFUSED', { path: ['product'], originalError: socketError('ECONNREFUSED') });
    expect(mask(formatted('connect ECONNREFUSED 127.0.0.1:8000'), error)).toEqual({
      message: expect.stringMatching(/could not be reached just now/),
      path: ['product'],
      locations: undefined,
      extensions: { code: 'SERVICE_UNAVAILABLE', retryable: true },
    });
    expect(logged.pop()).toBe('warn: a store or service could not be reached');
  });

  it('still masks anything else as an internal error, with no detail', () => {
    const error = new GraphQLError('x is undefined', { path: ['product'], originalError: new TypeError('x is undefined') });
    expect(mask(formatted('x is undefined'), error)).toEqual({
      message: 'Internal server error',
      path: ['product'],
      locations: undefined,
      extensions: { code: 'INTERNAL_SERVER_ERROR' },
    });
    expect(logged.pop()).toBe('error: unexpected error in GraphQL request');
  });
});
