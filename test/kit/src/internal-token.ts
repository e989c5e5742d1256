import type { Identity } from '@cloudmart/runtime';
import { loadInternalTokenKeys, signInternalToken } from '@cloudmart/runtime';

/**
 * Headers that make a test's request look like the gateway's: an internal token for the caller
 * (null: a guest), signed with the development gateway key under the services' DATA_DIR. For tests
 * that call a subgraph directly on purpose; everything else goes through the gateway.
 */
export async function asGateway(
  env: NodeJS.ProcessEnv | { DATA_DIR: string },
  identity: Identity | null,
  ttlSeconds?: number,
): Promise<{ authorization: string }> {
  if (!env.DATA_DIR) throw new Error('asGateway needs the DATA_DIR the services were started with');
  const keys = await loadInternalTokenKeys({ NODE_ENV: 'test', DATA_DIR: env.DATA_DIR }, { needPrivateKey: true });
  return { authorization: `Bearer ${await signInternalToken(keys, identity, ttlSeconds)}` };
}
