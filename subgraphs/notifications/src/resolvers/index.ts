import { requireIdentity, scalarResolvers } from '@cloudmart/runtime';
import type { Resolvers } from '../__generated__/resolvers-types';

export const resolvers: Resolvers = {
  ...scalarResolvers,
  User: {
    __resolveReference: (reference) => ({ id: reference.id }),
    notificationPreferences: async (user, _args, context) =>
      context.notifications.preferencesOf(
        requireIdentity(context.identity),
        user.id,
        await context.loaders.preferencesByUserId.load(user.id),
      ),
    notifications: (user, args, context) =>
      context.notifications.listOfUser(requireIdentity(context.identity), user.id, args),
  },
  Notification: {
    order: (notification) => ({ id: notification.orderId }),
    lastError: (notification) => (notification.status === 'SENT' ? null : (notification.lastError ?? null)),
    sentAt: (notification) => notification.sentAt ?? null,
  },
  Query: {
    failedNotifications: (_parent, args, context) =>
      context.notifications.listFailed(requireIdentity(context.identity), args),
  },
  Mutation: {
    updateNotificationPreferences: (_parent, { input }, context) =>
      context.notifications.updatePreferences(requireIdentity(context.identity), input),
    resendNotification: (_parent, { id }, context) =>
      context.notifications.resend(requireIdentity(context.identity), id),
  },
};
