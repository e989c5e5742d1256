import { z } from 'zod';
import { CursorCodec } from '../src/domain/cursor';

const schema = z.object({ k: z.array(z.number()), id: z.string() });
const codeOf = (decode: () => unknown) => {
  try {
    decode();
    return 'decoded';
  } catch (error) {
    return (error as { extensions?: { code?: string } }).extensions?.code;
  }
};

describe('pagination cursors', () => {
  const codec = new CursorCodec('a-test-secret-of-some-length');

  it('round-trips a keyset position as an opaque base64url string', () => {
    const cursor = codec.encode({ k: [1999], id: 'p-1' });
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
    expect(codec.decode(cursor, schema)).toEqual({ k: [1999], id: 'p-1' });
  });

  it('refuses a cursor whose payload or signature was changed, or that another key signed', () => {
    const cursor = codec.encode({ k: [1999], id: 'p-1' });
    const [payload, signature] = cursor.split('.') as [string, string];
    const changedPayload = Buffer.from(JSON.stringify({ k: [1], id: 'p-1' })).toString('base64url');
    const flipped = `${signature.slice(0, -2)}${signature.endsWith('AA') ? 'BB' : 'AA'}`;
    const otherKey = new CursorCodec('another-secret-of-some-length').encode({ k: [1999], id: 'p-1' });
    for (const tampered of [
      `${changedPayload}.${signature}`,
      `${payload}.${flipped}`,
      otherKey,
      payload,
      `${cursor}.x`,
      '',
      '....',
    ]) {
      expect(codeOf(() => codec.decode(tampered, schema))).toBe('BAD_USER_INPUT');
    }
  });

  it('refuses a correctly signed cursor of the wrong shape', () => {
    const cursor = codec.encode({ k: ['not-a-number'], id: 'p-1' });
    expect(codeOf(() => codec.decode(cursor, schema))).toBe('BAD_USER_INPUT');
  });
});
