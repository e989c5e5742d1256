import { forbidden, notFound, parseInput, requireIdentity, scalarResolvers, badUserInput } from '@cloudmart/runtime';
import type { Resolvers } from '../__generated__/resolvers-types';
import type { AuthResult } from '../domain/accounts';
import type { Context } from '../context';
import { addressSchema, addressUpdateSchema, emailSchema, MAX_ADDRESSES, signUpSchema } from '../validation';

/** Email and addresses are private: only the account's owner and admins may read them. */
function assertOwnerOrAdmin(ownerId: string, context: Context) {
  const caller = requireIdentity(context.identity);
  if (caller.userId !== ownerId && caller.role !== 'ADMIN') {
    throw forbidden("Only the account's owner or an admin can read this field.");
  }
}

/**
 * After a successful sign-up or log-in the rest of the request runs as that user, so the
 * payload's private fields (`user { email }`) resolve for the person who just proved who they are.
 */
function signedIn(context: Context, result: AuthResult): AuthResult {
  context.identity = { userId: result.user.id, role: result.user.role, email: result.user.email };
  return result;
}

export const resolvers: Resolvers = {
  ...scalarResolvers,
  Query: {
    me: (_parent, _args, context) =>
      context.identity ? context.loaders.userById.load(context.identity.userId) : null,
  },
  Mutation: {
    signUp: async (_parent, { input }, context) =>
      signedIn(context, await context.accounts.signUp(parseInput(signUpSchema, input))),
    logIn: async (_parent, { email, password }, context) => {
      const normalised = emailSchema.safeParse(email);
      if (!normalised.success || !password) throw badUserInput('Enter an email address and a password.');
      return signedIn(context, await context.accounts.logIn(normalised.data, password, context.clientAddress));
    },
    addAddress: async (_parent, { input }, context) => {
      const caller = requireIdentity(context.identity);
      const address = await context.users.addAddress(caller.userId, parseInput(addressSchema, input), MAX_ADDRESSES);
      if (!address) throw badUserInput(`An account can keep at most ${MAX_ADDRESSES} addresses.`);
      return address;
    },
    updateAddress: async (_parent, { id, input }, context) => {
      const caller = requireIdentity(context.identity);
      const address = await context.users.updateAddress(caller.userId, id, parseInput(addressUpdateSchema, input));
      if (!address) throw notFound('Address', id);
      return address;
    },
    deleteAddress: async (_parent, { id }, context) => {
      const caller = requireIdentity(context.identity);
      if (!(await context.users.deleteAddress(caller.userId, id))) throw notFound('Address', id);
      return id;
    },
  },
  Address: {
    __resolveReference: async (reference, context) => {
      const address = await context.loaders.addressById.load(reference.id);
      if (address) assertOwnerOrAdmin(address.userId, context);
      return address;
    },
  },
  User: {
    __resolveReference: (reference, context) => context.loaders.userById.load(reference.id),
    email: (user, _args, context) => {
      assertOwnerOrAdmin(user.id, context);
      return user.email;
    },
    addresses: (user, _args, context) => {
      assertOwnerOrAdmin(user.id, context);
      return context.loaders.addressesByUserId.load(user.id);
    },
  },
};
