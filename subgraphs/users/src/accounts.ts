import { badUserInput, signAccessToken, unauthenticated, type JwtKeys } from '@cloudmart/runtime';
import type { User } from './__generated__/prisma/client';
import { DuplicateEmailError, type UserStore } from './data/user-store';
import { decoyPasswordHash, hashPassword, verifyPassword } from './passwords';

export interface AuthResult {
  token: string;
  user: User;
}

/** Sign-up and log-in: the rules about accounts, apart from GraphQL and from storage. */
export class Accounts {
  constructor(
    private readonly store: UserStore,
    private readonly keys: JwtKeys,
  ) {}

  /** Expects validated, normalised input (see validation.ts). */
  async signUp(input: { email: string; password: string; name: string }): Promise<AuthResult> {
    try {
      const user = await this.store.createUser({
        email: input.email,
        name: input.name,
        passwordHash: await hashPassword(input.password),
      });
      return { user, token: await this.tokenFor(user) };
    } catch (error) {
      if (error instanceof DuplicateEmailError) {
        throw badUserInput('An account with this email already exists.', { field: 'email' });
      }
      throw error;
    }
  }

  /** Unknown email and wrong password fail alike, in the same time, with one message. */
  async logIn(email: string, password: string): Promise<AuthResult> {
    const user = await this.store.findByEmail(email);
    const valid = await verifyPassword(user?.passwordHash ?? (await decoyPasswordHash()), password);
    if (!user || !valid) throw unauthenticated('Incorrect email or password.');
    return { user, token: await this.tokenFor(user) };
  }

  /** Creates an account when its email is not registered yet (demo seeding); never overwrites. */
  async ensureAccount(input: { email: string; password: string; name: string; role: User['role'] }) {
    if (await this.store.findByEmail(input.email)) return false;
    const { password, ...account } = input;
    try {
      await this.store.createUser({ ...account, passwordHash: await hashPassword(password) });
      return true;
    } catch (error) {
      if (error instanceof DuplicateEmailError) return false; // created concurrently
      throw error;
    }
  }

  private tokenFor(user: User) {
    return signAccessToken(this.keys, { userId: user.id, role: user.role, email: user.email });
  }
}
