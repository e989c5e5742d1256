// Parent types for codegen: what resolvers of each GraphQL type receive (see codegen.ts).
import type { Address, User } from './__generated__/prisma/client';

export type UserModel = User;
export type AddressModel = Address;
