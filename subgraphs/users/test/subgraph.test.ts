// The users subgraph on its own: entity resolution as the gateway calls it (with the gateway's
// internal tokens), batching, privacy, and PGlite data surviving a restart.
import { loadJwtKeys, signAccessToken, type JwtKeys } from '@cloudmart/runtime';
import { asGateway, copyUsersDatabase, errorCodes, makeTempDir, postGraphQL } from '@cloudmart/test-kit';
import { start, type UsersServer } from '../src/server';

const ENTITIES = /* GraphQL */ `
  query Entities($representations: [_Any!]!) {
    _entities(representations: $representations) { ... on User { id name email } }
  }
`;

describe('users subgraph', () => {
  const temp = makeTempDir('users');
  const env = { NODE_ENV: 'test', DATA_DIR: temp.dir, PORT: '0', LOG_LEVEL: 'silent' };
  let server: UsersServer;
  let keys: JwtKeys;
  let asGuest: Record<string, string>;
  const ids: string[] = [];

  beforeAll(async () => {
    copyUsersDatabase(temp.dir); // the run's migrated database: creating one costs seconds of CPU
    server = await start(env);
    asGuest = await asGateway(env, null);
    keys = await loadJwtKeys({ ...env, NODE_ENV: 'test', JWT_ISSUER: 'cloudmart', JWT_AUDIENCE: 'cloudmart-api' });
    for (let i = 0; i < 20; i++) {
      const response = await postGraphQL<{ signUp: { user: { id: string } } }>(
        server.url,
        `mutation($input: SignUpInput!) { signUp(input: $input) { user { id } } }`,
        { input: { email: `user${i}@example.com`, password: 'password-123', name: `User ${i}` } },
        asGuest,
      );
      ids.push(response.data!.signUp.user.id);
    }
  });
  afterAll(async () => {
    await server?.stop();
    temp.remove();
  });

  it('resolves 20 user references with one SQL query', async () => {
    const admin = await signAccessToken({ ...keys, privateKey: undefined }, { userId: ids[0]!, role: 'ADMIN' }).catch(() => null);
    expect(admin).toBeNull(); // a verifying key set cannot mint tokens
    server.database.sql.statements = 0;
    const response = await postGraphQL<{ _entities: { id: string; name: string }[] }>(server.url, ENTITIES.replace(' email', ''), {
      representations: [...ids, 'not-a-uuid'].map((id) => ({ __typename: 'User', id })),
    }, asGuest);
    expect(response.errors).toBeUndefined();
    expect(response.data!._entities.slice(0, 20).map((user) => user.name)).toEqual(ids.map((_, i) => `User ${i}`));
    expect(response.data!._entities[20]).toBeNull();
    expect(server.database.sql.statements).toBe(1);
  });

  it('shows a user’s email only to that user or an admin, through _entities too', async () => {
    const asUser1 = await asGateway(env, { userId: ids[1]!, role: 'CUSTOMER' });
    const asAdmin = await asGateway(env, { userId: ids[2]!, role: 'ADMIN' });
    const representations = [{ __typename: 'User', id: ids[0] }];

    const stranger = await postGraphQL(server.url, ENTITIES, { representations }, asUser1);
    expect(errorCodes(stranger)).toEqual(['FORBIDDEN']);
    expect(JSON.stringify(stranger.data)).not.toContain('user0@example.com');

    const guest = await postGraphQL(server.url, ENTITIES, { representations }, asGuest);
    expect(errorCodes(guest)).toEqual(['UNAUTHENTICATED']);
    // Not through the gateway at all: refused before any resolver.
    expect(errorCodes(await postGraphQL(server.url, ENTITIES, { representations }))).toEqual(['UNAUTHENTICATED']);

    const admin = await postGraphQL(server.url, ENTITIES, { representations }, asAdmin);
    expect(admin.errors).toBeUndefined();
    expect(admin.data).toEqual({ _entities: [{ id: ids[0], name: 'User 0', email: 'user0@example.com' }] });
  });

  it('keeps PGlite data across a restart', async () => {
    await server.stop();
    server = await start(env);
    const logIn = await postGraphQL<{ logIn: { user: { id: string } } }>(
      server.url,
      `mutation { logIn(email: "user3@example.com", password: "password-123") { user { id } } }`,
      {},
      asGuest,
    );
    expect(logIn.errors).toBeUndefined();
    expect(logIn.data!.logIn.user.id).toBe(ids[3]);
  });

  it('reports live and ready', async () => {
    expect((await fetch(new URL('/health', server.url))).status).toBe(200);
    expect((await fetch(new URL('/ready', server.url))).status).toBe(200);
  });
});
