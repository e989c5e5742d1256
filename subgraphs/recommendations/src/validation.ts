import { z } from 'zod';

/** How many recommendations one field returns. */
export const firstSchema = z.object({ first: z.number().int().min(1).max(50) });
