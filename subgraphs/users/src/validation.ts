import { z } from 'zod';

export const emailSchema = z
  .string()
  .trim()
  .toLowerCase()
  .max(254, 'must be at most 254 characters')
  .pipe(z.email('must be a valid email address'));

export const passwordSchema = z
  .string()
  .min(8, 'must be at least 8 characters')
  .max(128, 'must be at most 128 characters');

export const signUpSchema = z.object({
  email: emailSchema,
  password: passwordSchema,
  name: z.string().trim().min(1, 'must not be empty').max(100, 'must be at most 100 characters'),
});

const line = (max: number) => z.string().trim().min(1, 'must not be empty').max(max, `must be at most ${max} characters`);
const optionalLine = (max: number) =>
  z
    .string()
    .trim()
    .max(max, `must be at most ${max} characters`)
    .nullish()
    .transform((value) => (value === '' ? null : value));

const regionNames = new Intl.DisplayNames(['en'], { type: 'region' });
/** ICU knows every assigned ISO 3166-1 code by name; an unknown code comes back unchanged. */
function isCountryCode(code: string): boolean {
  return /^[A-Z]{2}$/.test(code) && code !== 'ZZ' && regionNames.of(code) !== code;
}

const addressFields = {
  line1: line(200),
  line2: optionalLine(200),
  city: line(100),
  region: optionalLine(100),
  postalCode: line(20),
  country: z
    .string()
    .trim()
    .toUpperCase()
    .refine(isCountryCode, 'must be a two-letter ISO 3166-1 country code'),
};

export const addressSchema = z.object(addressFields);

/** An update names only the fields that change; null clears an optional field. */
export const addressUpdateSchema = z
  .object({
    line1: addressFields.line1.optional(),
    line2: addressFields.line2.optional(),
    city: addressFields.city.optional(),
    region: addressFields.region.optional(),
    postalCode: addressFields.postalCode.optional(),
    country: addressFields.country.optional(),
  })
  .refine((update) => Object.values(update).some((value) => value !== undefined), 'name at least one field to change');

/** How many addresses one account may keep. */
export const MAX_ADDRESSES = 20;
