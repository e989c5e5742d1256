import { runMain } from '@cloudmart/runtime';
import { start } from './server';

runMain('notifications', () => start());
