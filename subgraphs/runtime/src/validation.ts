import type { z } from 'zod';
import { badUserInput } from './errors';

/**
 * Validates resolver input with a zod schema. Failures become one BAD_USER_INPUT error whose
 * `extensions.fields` names each bad field, so a form can show every problem at once.
 */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.infer<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const fields = result.error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message }));
  const summary = fields.map((field) => (field.path ? `${field.path}: ${field.message}` : field.message)).join('; ');
  throw badUserInput(`Invalid input: ${summary}`, { fields });
}
