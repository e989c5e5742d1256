// jest's globalSetup (jest.config.js): the stores every test file of the run shares.
export { startSharedStores as default } from './shared-stores';
