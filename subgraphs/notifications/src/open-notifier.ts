// The notifier with everything it uses, from its settings: what the service (server.ts) and the
// Lambda on MSK (lambda/order-events.ts) both open, so they run the same code.
import { CloseStack, type Logger } from '@cloudmart/runtime';
import type { NotifierSettings } from './config';
import { notificationsDataOfExistingTables, openNotificationsData } from './data';
import { Notifier } from './domain/notifier';
import { createChannels } from './services/channels';
import { HttpUsersClient } from './services/users';

/** `createTables`: the service creates its missing tables at start; the Lambda uses Terraform's. */
export async function openNotifier(
  settings: NotifierSettings,
  log: Logger,
  resources: CloseStack,
  { createTables }: { createTables: boolean },
) {
  const data = resources.add(createTables ? await openNotificationsData(settings) : notificationsDataOfExistingTables(settings));
  const { email, sms } = createChannels(settings);
  resources.defer(async () => {
    await email.close?.();
    await sms.close?.();
  });
  const notifier = new Notifier({
    store: data.notifications,
    preferences: data.preferences,
    orders: data.orders,
    users: new HttpUsersClient(settings.usersBaseUrl, settings.internalSecret, settings.USERS_TIMEOUT_MS),
    email,
    sms,
    settings: {
      shop: { name: settings.SHOP_NAME, url: settings.SHOP_URL },
      maxAttempts: settings.NOTIFY_MAX_ATTEMPTS,
      retryBaseMs: settings.NOTIFY_RETRY_BASE_MS,
    },
    log,
  });
  return { data, notifier };
}
