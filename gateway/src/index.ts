import { createLogger, loadJwtKeys, runMain } from '@cloudmart/runtime';
import { loadGatewayConfig } from './config';
import { startGateway } from './server';

const log = createLogger('gateway');

runMain(async () => {
  const config = loadGatewayConfig();
  log.level = config.LOG_LEVEL;
  const keys = await loadJwtKeys(config);
  return startGateway({ config, keys, log });
}, log);
