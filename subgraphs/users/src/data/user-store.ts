import type { Address, PrismaClient, Role, User } from '../__generated__/prisma/client';

/** Raised when an email is already registered (PostgreSQL unique violation on users.email). */
export class DuplicateEmailError extends Error {
  override name = 'DuplicateEmailError';
}

export interface NewUser {
  email: string;
  name: string;
  passwordHash: string;
  role?: Role;
}

export interface AddressFields {
  line1: string;
  line2?: string | null;
  city: string;
  region?: string | null;
  postalCode: string;
  country: string;
}

/** Ids are UUIDs in PostgreSQL; anything else cannot match and must not reach a query. */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const isUuid = (id: string) => UUID.test(id);

const isUniqueViolation = (error: unknown) =>
  typeof error === 'object' && error !== null && 'code' in error && error.code === 'P2002';

/** The users subgraph's only access to its PostgreSQL tables. */
export class UserStore {
  constructor(private readonly prisma: PrismaClient) {}

  async createUser(user: NewUser): Promise<User> {
    try {
      return await this.prisma.user.create({ data: user });
    } catch (error) {
      if (isUniqueViolation(error)) throw new DuplicateEmailError(user.email);
      throw error;
    }
  }

  /**
   * Replaces a password hash with one of the same password (re-hashed with today's parameters),
   * only if it is still `current`: false when it changed meanwhile.
   */
  async replacePasswordHash(userId: string, current: string, replacement: string): Promise<boolean> {
    const { count } = await this.prisma.user.updateMany({ where: { id: userId, passwordHash: current }, data: { passwordHash: replacement } });
    return count > 0;
  }

  findByEmail(email: string): Promise<User | null> {
    return this.prisma.user.findUnique({ where: { email } });
  }

  findByIds(ids: readonly string[]): Promise<User[]> {
    return this.prisma.user.findMany({ where: { id: { in: ids.filter(isUuid) } } });
  }

  addressesOf(userIds: readonly string[]): Promise<Address[]> {
    return this.prisma.address.findMany({
      where: { userId: { in: userIds.filter(isUuid) } },
      orderBy: [{ createdAt: 'desc' }, { id: 'asc' }],
    });
  }

  findAddressesByIds(ids: readonly string[]): Promise<Address[]> {
    return this.prisma.address.findMany({ where: { id: { in: ids.filter(isUuid) } } });
  }

  /**
   * Adds an address unless the user already has `limit`: the count and the insert run in one
   * serializable transaction, so concurrent requests cannot overshoot the limit.
   */
  async addAddress(userId: string, fields: AddressFields, limit: number): Promise<Address | null> {
    return this.prisma.$transaction(
      async (tx) => {
        if ((await tx.address.count({ where: { userId } })) >= limit) return null;
        return tx.address.create({ data: { ...fields, userId } });
      },
      { isolationLevel: 'Serializable' },
    );
  }

  /** Updates an address only if it belongs to the user; null when it does not exist for them. */
  async updateAddress(userId: string, id: string, fields: Partial<AddressFields>): Promise<Address | null> {
    if (!isUuid(id)) return null;
    const { count } = await this.prisma.address.updateMany({ where: { id, userId }, data: fields });
    return count === 0 ? null : this.prisma.address.findUnique({ where: { id } });
  }

  async deleteAddress(userId: string, id: string): Promise<boolean> {
    if (!isUuid(id)) return false;
    const { count } = await this.prisma.address.deleteMany({ where: { id, userId } });
    return count > 0;
  }
}
