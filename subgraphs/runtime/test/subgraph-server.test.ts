import { Writable } from 'node:stream';
import { parse } from 'graphql';
import pino from 'pino';
import { loadJwtKeys } from '../src/auth';
import { startSubgraphServer, type BaseContext, type RunningServer } from '../src/server';
import { errorCodes, makeTempDir, postGraphQL } from '../src/testing';

describe('subgraph server bootstrap', () => {
  const temp = makeTempDir('bootstrap');
  const lines: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
      done();
    },
  });
  let server: RunningServer;

  beforeAll(async () => {
    const keys = await loadJwtKeys({ NODE_ENV: 'test', DATA_DIR: temp.dir, JWT_ISSUER: 'i', JWT_AUDIENCE: 'a' });
    server = await startSubgraphServer<BaseContext>({
      name: 'probe',
      typeDefs: parse(`type Query { hello: String! boom: String! }`),
      resolvers: {
        Query: {
          hello: () => 'world',
          boom: () => {
            throw new Error('connection string postgres://secret@db leaked');
          },
        },
      },
      port: 0,
      host: '127.0.0.1',
      production: false,
      keys,
      log: pino({ level: 'info' }, sink),
      createContext: (base) => base,
    });
  });
  afterAll(async () => {
    await server?.stop();
    temp.remove();
  });

  it('logs one line per operation with its request id', async () => {
    const response = await postGraphQL(server.url, 'query Greeting { hello }', {}, { 'x-request-id': 'req-42' });
    expect(response.data).toEqual({ hello: 'world' });
    expect(lines).toContainEqual(
      expect.objectContaining({ msg: 'graphql request', requestId: 'req-42', operationName: 'Greeting', errors: 0 }),
    );
  });

  it('masks unexpected errors: a generic message and code for the client, the details in the log', async () => {
    const response = await postGraphQL(server.url, '{ boom }');
    expect(errorCodes(response)).toEqual(['INTERNAL_SERVER_ERROR']);
    expect(JSON.stringify(response)).not.toContain('secret');
    expect(JSON.stringify(lines)).toContain('postgres://secret@db');
  });
});
