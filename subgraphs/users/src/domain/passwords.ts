import argon2 from 'argon2';
import { BoundedPool } from '@cloudmart/runtime';
import type { UsersConfig } from '../config';

/** argon2id's cost (docs/security.md#passwords): memory in KiB, passes, lanes. */
export interface PasswordParameters {
  memoryKiB: number;
  timeCost: number;
  parallelism: number;
}

/**
 * Password hashes with argon2id. node-argon2 computes on libuv's thread pool, off the event loop;
 * the BoundedPool decides how many hashes run or wait at once, so that a burst of sign-ups and
 * log-ins is either done in bounded time or refused at once (PoolFullError), never queued into a
 * timeout. Each hash holds `memoryKiB` while it runs, so memory is bounded by the concurrency too.
 */
export class PasswordHasher {
  private decoyHash?: Promise<string>;

  constructor(
    private readonly parameters: PasswordParameters,
    /** Sized by PASSWORD_HASH_CONCURRENCY and PASSWORD_HASH_QUEUE. */
    private readonly pool: BoundedPool,
  ) {}

  /** Rejects with PoolFullError when a hash could not be admitted now (checked before other work). */
  async refuseIfBusy(): Promise<void> {
    const refusal = this.pool.refusal();
    if (refusal) throw refusal;
  }

  hash(password: string): Promise<string> {
    const { memoryKiB, timeCost, parallelism } = this.parameters;
    return this.pool.run(() =>
      argon2.hash(password, { type: argon2.argon2id, memoryCost: memoryKiB, timeCost, parallelism }),
    );
  }

  /** Whatever parameters `hash` was made with (they are part of it): old hashes keep verifying. */
  verify(hash: string, password: string): Promise<boolean> {
    return this.pool.run(() => argon2.verify(hash, password));
  }

  /**
   * Verifies against a decoy made with today's parameters, for an email with no account: a failed
   * log-in costs the same whether or not the account exists (no account enumeration by timing).
   */
  async verifyDecoy(password: string): Promise<false> {
    // A refused or failed decoy hash is not kept: the next unknown email tries again.
    this.decoyHash ??= this.hash('decoy-password-for-unknown-accounts').catch((error: unknown) => {
      this.decoyHash = undefined;
      throw error;
    });
    await this.verify(await this.decoyHash, password);
    return false;
  }

  /** Made with another algorithm or other parameters than today's: re-hash at the next log-in. */
  isOutdated(hash: string): boolean {
    const { memoryKiB, timeCost, parallelism } = this.parameters;
    return !hash.startsWith('$argon2id$') || argon2.needsRehash(hash, { memoryCost: memoryKiB, timeCost, parallelism });
  }
}

/** The hasher PASSWORD_* configure: argon2id's cost, and the pool bounding concurrent hashes. */
export function createPasswordHasher(config: UsersConfig): PasswordHasher {
  return new PasswordHasher(
    { memoryKiB: config.PASSWORD_MEMORY_KIB, timeCost: config.PASSWORD_TIME_COST, parallelism: config.PASSWORD_PARALLELISM },
    new BoundedPool(config.PASSWORD_HASH_CONCURRENCY, config.PASSWORD_HASH_QUEUE, config.PASSWORD_HASH_MAX_WAIT_MS),
  );
}
