// The users subgraph through the gateway, as a client uses it: once on PGlite (the embedded
// default) and once on a real PostgreSQL server started for the test.
import {
  bearer,
  errorCodes,
  postGraphQL,
  startTestPostgres,
  startTestSupergraph,
  type TestPostgres,
  type TestSupergraph,
} from '@cloudmart/test-kit';

const SIGN_UP = /* GraphQL */ `
  mutation SignUp($input: SignUpInput!) {
    signUp(input: $input) { token user { id email name role createdAt } }
  }
`;
const LOG_IN = /* GraphQL */ `
  mutation LogIn($email: String!, $password: String!) {
    logIn(email: $email, password: $password) { token user { id email } }
  }
`;
const ME = /* GraphQL */ `
  query Me { me { id email name role addresses { id line1 city country } } }
`;

type AuthData = { signUp: { token: string; user: { id: string; email: string; name: string; role: string } } };

const backends: [string, () => Promise<{ env: NodeJS.ProcessEnv; stop(): Promise<void> }>][] = [
  ['PGlite', async () => ({ env: {}, stop: async () => {} })],
  [
    'PostgreSQL',
    async () => {
      const postgres: TestPostgres = await startTestPostgres();
      return { env: { DATABASE_URL: await postgres.createDatabase('users_gateway') }, stop: postgres.stop };
    },
  ],
];

describe.each(backends)('accounts through the gateway on %s', (_name, startBackend) => {
  let supergraph: TestSupergraph;
  let stopBackend: () => Promise<void>;
  let gateway: (query: string, variables?: Record<string, unknown>, headers?: Record<string, string>) => ReturnType<typeof postGraphQL>;

  beforeAll(async () => {
    const backend = await startBackend();
    stopBackend = backend.stop;
    supergraph = await startTestSupergraph({ env: backend.env, only: ['users'] });
    gateway = (query, variables, headers) => postGraphQL(supergraph.gatewayUrl, query, variables, headers);
  });
  afterAll(async () => {
    await supergraph?.stop();
    await stopBackend?.();
  });

  it('signs up, logs in and reads `me`', async () => {
    const signUp = await gateway(SIGN_UP, { input: { email: '  Ada@Example.COM ', password: 'correct horse', name: 'Ada' } });
    expect(signUp.errors).toBeUndefined();
    const { user } = (signUp.data as AuthData).signUp;
    expect(user).toMatchObject({ email: 'ada@example.com', name: 'Ada', role: 'CUSTOMER' });

    const logIn = await gateway(LOG_IN, { email: 'ADA@example.com', password: 'correct horse' });
    expect(logIn.errors).toBeUndefined();
    const token = (logIn.data as { logIn: { token: string } }).logIn.token;

    const me = await gateway(ME, {}, bearer(token));
    expect(me.errors).toBeUndefined();
    expect(me.data).toEqual({ me: { id: user.id, email: 'ada@example.com', name: 'Ada', role: 'CUSTOMER', addresses: [] } });
  });

  it('answers `me` with null for a guest and refuses a bad token', async () => {
    expect((await gateway(ME)).data).toEqual({ me: null });
    const forged = await gateway(ME, {}, bearer('eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.'));
    expect(errorCodes(forged)).toEqual(['UNAUTHENTICATED']);
  });

  it('gives the same UNAUTHENTICATED error for a wrong password and an unknown email', async () => {
    await gateway(SIGN_UP, { input: { email: 'bob@example.com', password: 'bob-password', name: 'Bob' } });
    const wrongPassword = await gateway(LOG_IN, { email: 'bob@example.com', password: 'not-his-password' });
    const unknownEmail = await gateway(LOG_IN, { email: 'nobody@example.com', password: 'bob-password' });
    expect(errorCodes(wrongPassword)).toEqual(['UNAUTHENTICATED']);
    expect(errorCodes(unknownEmail)).toEqual(['UNAUTHENTICATED']);
    expect(wrongPassword.errors?.[0]?.message).toBe(unknownEmail.errors?.[0]?.message);
    expect(wrongPassword.data).toBeNull();
  });

  it('refuses a duplicate email, whatever its case and spacing', async () => {
    await gateway(SIGN_UP, { input: { email: 'carol@example.com', password: 'carol-password', name: 'Carol' } });
    const duplicate = await gateway(SIGN_UP, { input: { email: ' CAROL@example.com', password: 'another-password', name: 'Carol 2' } });
    expect(errorCodes(duplicate)).toEqual(['BAD_USER_INPUT']);
    expect(duplicate.errors?.[0]?.message).toMatch(/already exists/);
  });

  it.each([
    ['an empty password', { email: 'dan@example.com', password: '', name: 'Dan' }, 'password'],
    ['a short password', { email: 'dan@example.com', password: 'short', name: 'Dan' }, 'password'],
    ['an invalid email', { email: 'not-an-email', password: 'dan-password', name: 'Dan' }, 'email'],
    ['a 10 kB name', { email: 'dan@example.com', password: 'dan-password', name: 'x'.repeat(10_000) }, 'name'],
    ['a blank name', { email: 'dan@example.com', password: 'dan-password', name: '   ' }, 'name'],
  ])('refuses sign-up with %s as BAD_USER_INPUT naming the field', async (_case, input, field) => {
    const response = await gateway(SIGN_UP, { input });
    expect(response.status).toBe(200);
    expect(errorCodes(response)).toEqual(['BAD_USER_INPUT']);
    expect(response.errors?.[0]?.extensions?.fields).toEqual([expect.objectContaining({ path: field })]);
    expect(JSON.stringify(response)).not.toMatch(/stacktrace|at .*\.ts:\d+/);
  });

  it('manages the signed-in user’s own addresses, and no one else’s', async () => {
    const signUp = (email: string) =>
      gateway(SIGN_UP, { input: { email, password: 'address-password', name: email } }).then((r) => (r.data as AuthData).signUp.token);
    const erin = await signUp('erin@example.com');
    const frank = await signUp('frank@example.com');

    const ADD = `mutation Add($input: AddressInput!) { addAddress(input: $input) { id line1 line2 city country } }`;
    const added = await gateway(ADD, { input: { line1: '1 Main St', city: 'Berlin', postalCode: '10115', country: 'de' } }, bearer(erin));
    expect(added.errors).toBeUndefined();
    const address = (added.data as { addAddress: { id: string; country: string } }).addAddress;
    expect(address).toMatchObject({ line1: '1 Main St', line2: null, city: 'Berlin', country: 'DE' });

    const badCountry = await gateway(ADD, { input: { line1: '1 Main St', city: 'X', postalCode: '1', country: 'XX' } }, bearer(erin));
    expect(errorCodes(badCountry)).toEqual(['BAD_USER_INPUT']);
    // addAddress is @authenticated: the gateway removes it for a guest (docs/security.md).
    expect(errorCodes(await gateway(ADD, { input: { line1: 'a', city: 'b', postalCode: 'c', country: 'FR' } }))).toEqual([
      'UNAUTHORIZED_FIELD_OR_TYPE',
    ]);

    const UPDATE = `mutation Update($id: ID!, $input: AddressUpdateInput!) { updateAddress(id: $id, input: $input) { id city line1 } }`;
    const updated = await gateway(UPDATE, { id: address.id, input: { city: 'Hamburg' } }, bearer(erin));
    expect(updated.data).toEqual({ updateAddress: { id: address.id, city: 'Hamburg', line1: '1 Main St' } });
    expect(errorCodes(await gateway(UPDATE, { id: address.id, input: { city: 'Paris' } }, bearer(frank)))).toEqual(['NOT_FOUND']);
    expect(errorCodes(await gateway(UPDATE, { id: 'not-a-uuid', input: { city: 'Paris' } }, bearer(erin)))).toEqual(['NOT_FOUND']);
    expect(errorCodes(await gateway(UPDATE, { id: address.id, input: {} }, bearer(erin)))).toEqual(['BAD_USER_INPUT']);

    const DELETE = `mutation Delete($id: ID!) { deleteAddress(id: $id) }`;
    expect(errorCodes(await gateway(DELETE, { id: address.id }, bearer(frank)))).toEqual(['NOT_FOUND']);
    expect((await gateway(DELETE, { id: address.id }, bearer(erin))).data).toEqual({ deleteAddress: address.id });
    expect((await gateway(ME, {}, bearer(erin))).data).toMatchObject({ me: { addresses: [] } });
  });
});
