import { z } from 'zod';
import { baseConfigSchema, ConfigError, loadConfig, portSchema } from '../src/config';

describe('loadConfig', () => {
  const schema = baseConfigSchema.extend({ PORT: portSchema(4001), DATABASE_URL: z.string().url() });

  it('applies defaults and parses values', () => {
    const config = loadConfig(schema, { DATABASE_URL: 'postgresql://localhost/db', PORT: '5000' });
    expect(config.PORT).toBe(5000);
    expect(config.NODE_ENV).toBe('development');
    expect(config.LOG_LEVEL).toBe('info');
  });

  it('names every bad or missing variable in one error', () => {
    const load = () => loadConfig(schema, { PORT: 'eighty', LOG_LEVEL: 'loud' });
    expect(load).toThrow(ConfigError);
    expect(load).toThrow(/PORT:/);
    expect(load).toThrow(/LOG_LEVEL:/);
    expect(load).toThrow(/DATABASE_URL: .*\(not set\)/);
  });
});
