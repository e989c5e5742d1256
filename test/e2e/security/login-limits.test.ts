// Log-in and sign-up under load and abuse, through the gateway as a client sees them (issue 17):
// a full password-hash pool answers HTTP 503 with Retry-After and SERVICE_OVERLOADED at once, and
// failed log-ins past the limits per account and per client address answer HTTP 429 with
// Retry-After and TOO_MANY_ATTEMPTS.
//
// The pool is made tiny by configuration (one hash at a time, none waiting) and held full by the
// test: argon2 (the npm package the users subgraph hashes with, running in this process) is
// wrapped so that its calls wait while the test keeps a gate closed. Nothing depends on timing.
import {
  postGraphQLWithHeaders,
  signUp,
  startTestSupergraph,
  type TestSupergraph,
} from '@cloudmart/test-kit';

/** While closed, every argon2 hash or verification waits for it to open. */
class MockArgon2Gate {
  private closed = false;
  private readonly waiting: (() => void)[] = [];
  private readonly waitingChanged: (() => void)[] = [];

  close() {
    this.closed = true;
  }

  open() {
    this.closed = false;
    for (const pass of this.waiting.splice(0)) pass();
  }

  async pass(): Promise<void> {
    if (!this.closed) return;
    await new Promise<void>((resolve) => {
      this.waiting.push(resolve);
      for (const notify of this.waitingChanged.splice(0)) notify();
    });
  }

  /** Resolves once `count` calls are waiting at the gate. */
  async untilWaiting(count: number): Promise<void> {
    while (this.waiting.length < count) await new Promise<void>((resolve) => this.waitingChanged.push(resolve));
  }
}
const mockArgon2Gate = new MockArgon2Gate();

jest.mock('argon2', () => {
  const actual = jest.requireActual<typeof import('argon2')>('argon2');
  return {
    ...actual,
    hash: async (...args: Parameters<typeof actual.hash>) => {
      await mockArgon2Gate.pass();
      return actual.hash(...args);
    },
    verify: async (...args: Parameters<typeof actual.verify>) => {
      await mockArgon2Gate.pass();
      return actual.verify(...args);
    },
  };
});

const LOG_IN = `mutation($email: String!, $password: String!) { logIn(email: $email, password: $password) { token } }`;
const SIGN_UP = `mutation($input: SignUpInput!) { signUp(input: $input) { token } }`;
/** The password test-kit's signUp gives every account. */
const PASSWORD = 'correct-horse-battery';
const LOCK_SECONDS = 300;

describe('log-in and sign-up through the gateway, under load and abuse', () => {
  let graph: TestSupergraph;
  let emailNumber = 0;
  const newAccount = async () => {
    const email = `shopper${++emailNumber}@example.com`;
    await signUp(graph.gatewayUrl, email, 'Shopper');
    return email;
  };
  /** A log-in from `client` (the gateway trusts X-Forwarded-For from loopback, TRUST_PROXY's default). */
  const logIn = (email: string, password: string, client: string) =>
    postGraphQLWithHeaders(graph.gatewayUrl, LOG_IN, { email, password }, { 'x-forwarded-for': client });
  type Answer = Awaited<ReturnType<typeof logIn>>;
  const codeOf = (answer: Answer) => (answer.errors ? String(answer.errors[0]?.extensions?.code) : 'ok');
  const expectRetryLater = (answer: Answer, status: number, code: string, maxSeconds: number) => {
    expect({ status: answer.status, code: codeOf(answer), data: answer.data }).toEqual({ status, code, data: null });
    const retryAfter = Number(answer.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(maxSeconds);
    expect(answer.errors?.[0]?.extensions?.retryAfter).toBe(retryAfter);
  };

  beforeAll(async () => {
    graph = await startTestSupergraph({
      env: {
        PASSWORD_HASH_CONCURRENCY: '1',
        PASSWORD_HASH_QUEUE: '0',
        LOGIN_LOCK_SECONDS: String(LOCK_SECONDS),
        LOGIN_FREE_FAILURES_PER_CLIENT: '10',
      },
      only: ['users'],
    });
  });
  afterAll(async () => {
    mockArgon2Gate.open();
    await graph?.stop();
  });

  it('answers 503 with Retry-After and SERVICE_OVERLOADED at once while the hash pool is full', async () => {
    const email = await newAccount();
    mockArgon2Gate.close();
    const first = logIn(email, PASSWORD, '198.51.100.1');
    await mockArgon2Gate.untilWaiting(1); // the one hash the pool runs at a time

    expectRetryLater(await logIn(email, PASSWORD, '198.51.100.2'), 503, 'SERVICE_OVERLOADED', 5);
    const signUpAnswer = await postGraphQLWithHeaders(graph.gatewayUrl, SIGN_UP, {
      input: { email: 'busy@example.com', password: PASSWORD, name: 'Busy' },
    });
    expectRetryLater(signUpAnswer, 503, 'SERVICE_OVERLOADED', 5);
    expect(signUpAnswer.errors?.[0]?.message).toMatch(/Try again shortly/);

    mockArgon2Gate.open();
    const admitted = await first;
    expect({ status: admitted.status, code: codeOf(admitted) }).toEqual({ status: 200, code: 'ok' });
  });

  it('answers 429 with Retry-After after 20 wrong passwords for one account, even to the right one; other accounts log in', async () => {
    const [victim, other] = [await newAccount(), await newAccount()];
    const answers: Answer[] = [];
    for (let i = 0; i < 20; i++) answers.push(await logIn(victim, `guess-${i}`, '203.0.113.10'));
    // Five free failures and a sixth that starts the lock; the other fourteen are refused unchecked.
    expect(answers.map(codeOf)).toEqual([...Array<string>(6).fill('UNAUTHENTICATED'), ...Array<string>(14).fill('TOO_MANY_ATTEMPTS')]);
    for (const answer of answers.slice(6)) expectRetryLater(answer, 429, 'TOO_MANY_ATTEMPTS', LOCK_SECONDS);
    expectRetryLater(await logIn(victim, PASSWORD, '203.0.113.11'), 429, 'TOO_MANY_ATTEMPTS', LOCK_SECONDS);

    const otherAnswer = await logIn(other, PASSWORD, '203.0.113.10');
    expect({ status: otherAnswer.status, code: codeOf(otherAnswer) }).toEqual({ status: 200, code: 'ok' });
  });

  it('answers 429 to a client address after its failures across emails, and only to that address', async () => {
    const victim = await newAccount();
    const answers: Answer[] = [];
    // Two guesses at each of six emails: none reaches an account's five free failures.
    for (let i = 0; i < 12; i++) answers.push(await logIn(`target${i % 6}@example.com`, 'guess', '203.0.113.20'));
    expect(answers.map(codeOf)).toEqual([...Array<string>(11).fill('UNAUTHENTICATED'), 'TOO_MANY_ATTEMPTS']);
    expectRetryLater(answers[11]!, 429, 'TOO_MANY_ATTEMPTS', LOCK_SECONDS);
    expectRetryLater(await logIn(victim, PASSWORD, '203.0.113.20'), 429, 'TOO_MANY_ATTEMPTS', LOCK_SECONDS);

    const elsewhere = await logIn(victim, PASSWORD, '203.0.113.21');
    expect({ status: elsewhere.status, code: codeOf(elsewhere) }).toEqual({ status: 200, code: 'ok' });
  });
});
