import type { UsersConfig } from '../config';
import type { Accounts } from '../domain/accounts';

/** The demo admin and shopper (SEED_DEMO_DATA): created if missing, left alone if present. */
export async function seedDemoAccounts(accounts: Accounts, config: UsersConfig): Promise<void> {
  await accounts.ensureAccount({
    email: config.ADMIN_EMAIL,
    password: config.ADMIN_PASSWORD,
    name: 'CloudMart Admin',
    role: 'ADMIN',
  });
  await accounts.ensureAccount({
    email: config.DEMO_EMAIL,
    password: config.DEMO_PASSWORD,
    name: 'Demo Shopper',
    role: 'CUSTOMER',
  });
}
