import cluster from 'node:cluster';
import { createLogger, runMain } from '@cloudmart/runtime';
import { loadGatewayConfig } from './config';
import { start } from './server';
import { runWorkers } from './workers';

// GATEWAY_WORKERS > 1: this process only supervises that many gateway processes (./workers).
const config = cluster.isPrimary ? supervisorConfig() : undefined;
if (config && config.GATEWAY_WORKERS > 1)
  runWorkers(config.GATEWAY_WORKERS, createLogger('gateway', config.LOG_LEVEL));
else runMain('gateway', () => start());

function supervisorConfig() {
  try {
    return loadGatewayConfig();
  } catch {
    return undefined; // runMain reports the configuration error
  }
}
