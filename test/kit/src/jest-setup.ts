// Runs before every test file: quiet logs, a test environment.
process.env.NODE_ENV = 'test';
process.env.LOG_LEVEL ??= 'silent';
