// Log-in under the failed-attempt limits and the hash pool, on the Accounts rules over a real
// (PGlite) database: accounts and client addresses locked after their free failures, the lock
// expiring on a test clock, a hash pool held full by the test, old hashes upgraded at log-in, and
// the limits shared by two replicas through a real redis-server.
import argon2 from 'argon2';
import type { GraphQLError } from 'graphql';
import { BoundedPool, createLogger, loadJwtKeys, type JwtKeys } from '@cloudmart/runtime';
import { copyUsersDatabase, makeTempDir, startRedis } from '@cloudmart/test-kit';
import { Accounts } from '../src/domain/accounts';
import { loadUsersConfig } from '../src/config';
import { openDatabase, type Database } from '../src/data/database';
import { UserStore } from '../src/data/user-store';
import { clientKey, createLoginLimits, type LoginLimits } from '../src/domain/login-limits';
import { PasswordHasher } from '../src/domain/passwords';

const PARAMETERS = { memoryKiB: 19_456, timeCost: 2, parallelism: 1 };
const log = createLogger('users-test', 'silent');

/** A clock the test moves by hand. */
function testClock() {
  let now = Date.now();
  return { now: () => now, advance: (seconds: number) => void (now += seconds * 1000) };
}

/** The code and retry hint of a rejected log-in ('ok' when it succeeded). */
async function outcome(attempt: Promise<unknown>): Promise<string> {
  try {
    await attempt;
    return 'ok';
  } catch (error) {
    const { code, retryAfter } = (error as GraphQLError).extensions ?? {};
    return retryAfter === undefined ? String(code) : `${String(code)} ${String(retryAfter)}s`;
  }
}

describe('log-in limits and the hash pool', () => {
  const temp = makeTempDir('users-limits');
  let database: Database;
  let store: UserStore;
  let keys: JwtKeys;
  const opened: LoginLimits[] = [];
  let emailNumber = 0;

  beforeAll(async () => {
    copyUsersDatabase(temp.dir); // the run's migrated database: creating one costs seconds of CPU
    database = await openDatabase({ dataDir: temp.dir });
    store = new UserStore(database.prisma);
    keys = await loadJwtKeys(loadUsersConfig({ NODE_ENV: 'test', DATA_DIR: temp.dir }), { needPrivateKey: true });
  });
  afterAll(async () => {
    for (const limits of opened) await limits.close();
    await database?.close();
    temp.remove();
  });

  /** Accounts as server.ts builds them, with LOGIN_* settings from `env` and the test's clock. */
  function accountsWith(env: Record<string, string> = {}, clock = testClock(), pool = new BoundedPool(2, 16, 60_000)) {
    const limits = createLoginLimits(loadUsersConfig({ NODE_ENV: 'test', DATA_DIR: temp.dir, ...env }), log, clock.now);
    opened.push(limits);
    return { accounts: new Accounts(store, keys, new PasswordHasher(PARAMETERS, pool), limits), clock };
  }

  async function newAccount(accounts: Accounts, password = 'correct horse') {
    const email = `user${++emailNumber}@example.com`;
    await accounts.signUp({ email, password, name: email });
    return email;
  }

  it('locks an account after 5 failures, also against the right password; other accounts log in', async () => {
    const { accounts } = accountsWith({ LOGIN_LOCK_SECONDS: '60' });
    const [victim, other] = [await newAccount(accounts), await newAccount(accounts)];
    const outcomes: string[] = [];
    for (let i = 0; i < 20; i++) outcomes.push(await outcome(accounts.logIn(victim, `guess ${i}`, '203.0.113.1')));
    // Five free failures, a sixth that starts the 60-s lock, then refusals without a check.
    expect(outcomes).toEqual([...Array<string>(6).fill('UNAUTHENTICATED'), ...Array<string>(14).fill('TOO_MANY_ATTEMPTS 60s')]);
    expect(await outcome(accounts.logIn(victim, 'correct horse', '203.0.113.2'))).toBe('TOO_MANY_ATTEMPTS 60s');
    // The same client address, another account: only 6 of its 30 free failures are used.
    expect(await outcome(accounts.logIn(other, 'correct horse', '203.0.113.1'))).toBe('ok');
  });

  it('counts unknown emails like wrong passwords', async () => {
    const { accounts } = accountsWith({ LOGIN_LOCK_SECONDS: '60' });
    const outcomes: string[] = [];
    for (let i = 0; i < 7; i++) outcomes.push(await outcome(accounts.logIn('nobody@example.com', 'guess', '203.0.113.3')));
    expect(outcomes).toEqual([...Array<string>(6).fill('UNAUTHENTICATED'), 'TOO_MANY_ATTEMPTS 60s']);
  });

  it('doubles the lock with each further failure; once it ends the right password works and clears the count', async () => {
    const { accounts, clock } = accountsWith({ LOGIN_LOCK_SECONDS: '10', LOGIN_MAX_LOCK_SECONDS: '30' });
    const email = await newAccount(accounts);
    for (let i = 0; i < 6; i++) await accounts.logIn(email, 'wrong', undefined).catch(() => undefined);
    expect(await outcome(accounts.logIn(email, 'correct horse'))).toBe('TOO_MANY_ATTEMPTS 10s');
    clock.advance(10);
    expect(await outcome(accounts.logIn(email, 'wrong'))).toBe('UNAUTHENTICATED'); // the 7th failure: 20 s
    expect(await outcome(accounts.logIn(email, 'correct horse'))).toBe('TOO_MANY_ATTEMPTS 20s');
    clock.advance(19);
    expect(await outcome(accounts.logIn(email, 'correct horse'))).toBe('TOO_MANY_ATTEMPTS 1s');
    clock.advance(1);
    expect(await outcome(accounts.logIn(email, 'correct horse'))).toBe('ok');
    // Cleared: five free failures again before a lock.
    const again: string[] = [];
    for (let i = 0; i < 7; i++) again.push(await outcome(accounts.logIn(email, 'wrong')));
    expect(again).toEqual([...Array<string>(6).fill('UNAUTHENTICATED'), 'TOO_MANY_ATTEMPTS 10s']);
  });

  it('locks a client address across emails, and only that address (an IPv6 client by its /64)', async () => {
    const { accounts } = accountsWith({ LOGIN_FREE_FAILURES_PER_CLIENT: '8', LOGIN_LOCK_SECONDS: '60' });
    const victim = await newAccount(accounts);
    const outcomes: string[] = [];
    // Two guesses at each of 5 emails: no account reaches its 5 free failures.
    for (let i = 0; i < 10; i++) outcomes.push(await outcome(accounts.logIn(`target${i % 5}@example.com`, 'guess', '2001:db8:1:2::10')));
    expect(outcomes).toEqual([...Array<string>(9).fill('UNAUTHENTICATED'), 'TOO_MANY_ATTEMPTS 60s']);
    expect(await outcome(accounts.logIn(victim, 'correct horse', '2001:db8:1:2:ffff::99'))).toBe('TOO_MANY_ATTEMPTS 60s');
    expect(await outcome(accounts.logIn(victim, 'correct horse', '2001:db8:1:3::10'))).toBe('ok');
    expect(await outcome(accounts.logIn(victim, 'correct horse', '198.51.100.7'))).toBe('ok');
  });

  it('does not count a correct log-in against the client address', async () => {
    const { accounts } = accountsWith({ LOGIN_FREE_FAILURES_PER_CLIENT: '2', LOGIN_LOCK_SECONDS: '60' });
    const email = await newAccount(accounts);
    for (let i = 0; i < 10; i++) expect(await outcome(accounts.logIn(email, 'correct horse', '198.51.100.8'))).toBe('ok');
  });

  it('answers SERVICE_OVERLOADED at once when the hash pool is full, and does not count the attempt', async () => {
    const pool = new BoundedPool(1, 0, 60_000);
    const { accounts } = accountsWith({ LOGIN_LOCK_SECONDS: '60' }, testClock(), pool);
    const email = await newAccount(accounts);
    let release!: () => void;
    const holding = pool.run(() => new Promise<void>((resolve) => (release = resolve)));
    for (let i = 0; i < 10; i++) {
      expect(await outcome(accounts.logIn(email, 'correct horse', '198.51.100.9'))).toBe('SERVICE_OVERLOADED 1s');
    }
    expect(await outcome(accounts.signUp({ email: 'busy@example.com', password: 'correct horse', name: 'Busy' }))).toBe(
      'SERVICE_OVERLOADED 1s',
    );
    release();
    await holding;
    // None of the ten refusals counted as a failure: five free ones are left.
    for (let i = 0; i < 5; i++) expect(await outcome(accounts.logIn(email, 'wrong', '198.51.100.9'))).toBe('UNAUTHENTICATED');
    expect(await outcome(accounts.logIn(email, 'correct horse', '198.51.100.9'))).toBe('ok');
  });

  it('upgrades a hash made with the old defaults at log-in, in the same request', async () => {
    const { accounts } = accountsWith();
    const oldHash = await argon2.hash('old password', { type: argon2.argon2id }); // 64 MiB, t=3, p=4
    const user = await store.createUser({ email: 'veteran@example.com', name: 'Veteran', passwordHash: oldHash });

    expect((await accounts.logIn('veteran@example.com', 'old password')).user.id).toBe(user.id);
    const stored = (await store.findByEmail('veteran@example.com'))!.passwordHash;
    expect(stored).toMatch(/^\$argon2id\$v=19\$m=19456,p=1,t=2\$/);
    expect(await argon2.verify(stored, 'old password')).toBe(true);
    expect(await outcome(accounts.logIn('veteran@example.com', 'old password'))).toBe('ok');
    expect((await store.findByEmail('veteran@example.com'))!.passwordHash).toBe(stored); // current: left alone
  });

  it('keys IPv6 clients by their /64, and IPv4-mapped addresses as IPv4', () => {
    expect(clientKey('2001:db8:1:2::10')).toBe('2001:db8:1:2::/64');
    expect(clientKey('2001:0db8:0001:0002:ffff:0:0:99')).toBe('2001:db8:1:2::/64');
    expect(clientKey('::1')).toBe('0:0:0:0::/64');
    expect(clientKey('fe80::1%eth0')).toBe('fe80:0:0:0::/64');
    expect(clientKey('::ffff:192.0.2.4')).toBe('192.0.2.4');
    expect(clientKey('192.0.2.4')).toBe('192.0.2.4');
  });

  describe('with REDIS_URL, on two replicas', () => {
    let redis: Awaited<ReturnType<typeof startRedis>>;
    beforeAll(async () => {
      redis = await startRedis();
    });
    afterAll(async () => {
      for (const limits of opened.splice(0)) await limits.close();
      await redis?.stop();
    });

    it('shares the counts and the lock, and its end', async () => {
      const clock = testClock();
      const env = { REDIS_URL: redis.url, LOGIN_LOCK_SECONDS: '30' };
      const replicas = [accountsWith(env, clock).accounts, accountsWith(env, clock).accounts];
      const email = await newAccount(replicas[0]!);
      const outcomes: string[] = [];
      for (let i = 0; i < 8; i++) outcomes.push(await outcome(replicas[i % 2]!.logIn(email, 'wrong', '203.0.113.50')));
      expect(outcomes).toEqual([...Array<string>(6).fill('UNAUTHENTICATED'), 'TOO_MANY_ATTEMPTS 30s', 'TOO_MANY_ATTEMPTS 30s']);
      clock.advance(30);
      expect(await outcome(replicas[1]!.logIn(email, 'correct horse', '203.0.113.50'))).toBe('ok');
      // Cleared for both replicas.
      for (let i = 0; i < 5; i++) expect(await outcome(replicas[0]!.logIn(email, 'wrong', '203.0.113.50'))).toBe('UNAUTHENTICATED');
    });
  });
});
