import { createHmac, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { badUserInput } from '@cloudmart/runtime';

const SIGNATURE_BYTES = 16;

/**
 * Opaque, signed pagination cursors. A cursor is base64url(JSON payload) + "." + base64url(HMAC):
 * clients cannot read meaning into it, and one that was altered or made up is refused with
 * BAD_USER_INPUT instead of silently starting somewhere else. The payload holds keyset values
 * (sort key + id), not an offset, which is what keeps pages stable while the data changes.
 */
export class CursorCodec {
  constructor(private readonly secret: string) {}

  private sign(data: string): Buffer {
    return createHmac('sha256', this.secret).update(data).digest().subarray(0, SIGNATURE_BYTES);
  }

  encode(payload: unknown): string {
    const data = Buffer.from(JSON.stringify(payload)).toString('base64url');
    return `${data}.${this.sign(data).toString('base64url')}`;
  }

  /** Verifies the signature, then the payload's shape; anything else is a BAD_USER_INPUT error. */
  decode<S extends z.ZodType>(cursor: string, schema: S, argument = 'after'): z.infer<S> {
    const invalid = () =>
      badUserInput(
        `The \`${argument}\` cursor is not valid: pass an endCursor or cursor this API returned.`,
        { argument },
      );
    const [data, signature, ...rest] = cursor.split('.');
    if (!data || !signature || rest.length > 0 || cursor.length > 2_000) throw invalid();
    const expected = this.sign(data);
    const given = Buffer.from(signature, 'base64url');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw invalid();
    let payload: unknown;
    try {
      payload = JSON.parse(Buffer.from(data, 'base64url').toString('utf8'));
    } catch {
      throw invalid();
    }
    const parsed = schema.safeParse(payload);
    if (!parsed.success) throw invalid();
    return parsed.data;
  }
}
