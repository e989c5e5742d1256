import {
  badUserInput,
  ErrorCode,
  PoolFullError,
  retryLater,
  signAccessToken,
  unauthenticated,
  type JwtKeys,
} from '@cloudmart/runtime';
import type { User } from '../__generated__/prisma/client';
import { DuplicateEmailError, type UserStore } from '../data/user-store';
import type { LoginLimits } from './login-limits';
import type { PasswordHasher } from './passwords';

export interface AuthResult {
  token: string;
  user: User;
}

/**
 * Password work goes through the hasher's bounded pool; when the pool is full the caller is told at
 * once to come back (SERVICE_OVERLOADED, HTTP 503 with Retry-After at the gateway).
 */
async function hashing<T>(work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (error) {
    if (error instanceof PoolFullError) {
      throw retryLater(ErrorCode.SERVICE_OVERLOADED, 'Too many sign-ups and log-ins right now. Try again shortly.', error.retryAfterSeconds);
    }
    throw error;
  }
}

/** Sign-up and log-in: the rules about accounts, apart from GraphQL and from storage. */
export class Accounts {
  constructor(
    private readonly store: UserStore,
    private readonly keys: JwtKeys,
    private readonly hasher: PasswordHasher,
    private readonly limits: LoginLimits,
  ) {}

  /** Expects validated, normalised input (see validation.ts). */
  async signUp(input: { email: string; password: string; name: string }): Promise<AuthResult> {
    try {
      const user = await this.store.createUser({
        email: input.email,
        name: input.name,
        passwordHash: await hashing(this.hasher.hash(input.password)),
      });
      return { user, token: await this.tokenFor(user) };
    } catch (error) {
      if (error instanceof DuplicateEmailError) {
        throw badUserInput('An account with this email already exists.', { field: 'email' });
      }
      throw error;
    }
  }

  /**
   * Unknown email and wrong password fail alike, in the same time, with one message, and count
   * alike against the failed log-in limits of the email and of the client's address.
   */
  async logIn(email: string, password: string, clientAddress?: string): Promise<AuthResult> {
    // Under overload most log-ins are refused: refuse before the limits and the database, not after.
    await hashing(this.hasher.refuseIfBusy());
    const attempt = await this.limits.admit(email, clientAddress);
    let user: User | null;
    let valid: boolean;
    try {
      user = await this.store.findByEmail(email);
      valid = await hashing(user ? this.hasher.verify(user.passwordHash, password) : this.hasher.verifyDecoy(password));
    } catch (error) {
      await attempt.withdraw(); // no password was checked: not a failure
      throw error;
    }
    if (!user || !valid) throw unauthenticated('Incorrect email or password.');
    await attempt.succeeded();
    await this.upgradeHash(user, password);
    return { user, token: await this.tokenFor(user) };
  }

  /** Creates an account when its email is not registered yet (demo seeding); never overwrites. */
  async ensureAccount(input: { email: string; password: string; name: string; role: User['role'] }) {
    if (await this.store.findByEmail(input.email)) return false;
    const { password, ...account } = input;
    try {
      await this.store.createUser({ ...account, passwordHash: await this.hasher.hash(password) });
      return true;
    } catch (error) {
      if (error instanceof DuplicateEmailError) return false; // created concurrently
      throw error;
    }
  }

  /**
   * A hash made with other parameters than today's (PASSWORD_* changed since) is replaced while the
   * password is at hand, so every account moves to the current cost at its next log-in.
   */
  private async upgradeHash(user: User, password: string): Promise<void> {
    if (!this.hasher.isOutdated(user.passwordHash)) return;
    let upgraded: string;
    try {
      upgraded = await this.hasher.hash(password);
    } catch (error) {
      if (error instanceof PoolFullError) return; // busy: the log-in stands, a later one upgrades
      throw error;
    }
    await this.store.replacePasswordHash(user.id, user.passwordHash, upgraded);
  }

  private tokenFor(user: User) {
    return signAccessToken(this.keys, { userId: user.id, role: user.role, email: user.email });
  }
}
