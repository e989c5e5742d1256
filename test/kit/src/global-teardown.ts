// jest's globalTeardown (jest.config.js).
export { stopSharedStores as default } from './shared-stores';
