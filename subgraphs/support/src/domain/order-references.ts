/**
 * How customers write order numbers: the full `CM-7F3A9C21B4` (any case, with or without the dash
 * or with a space), the ten characters alone, or a shorter tail like `1042` or `#B4`.
 */
export const ORDER_NUMBER = /\bCM[-\s]?([0-9A-F]{10})\b/gi;

/** The canonical form, or null when the text is not a full order number. */
export function canonicalOrderNumber(text: string): string | null {
  const trimmed = text.trim();
  const full = /^(?:CM[-\s]?)?([0-9A-F]{10})$/i.exec(trimmed);
  // Ten characters alone count only when they hold a digit and a letter or were prefixed: "1234567890"
  // is more likely a phone number or a tail than an order number.
  if (!full?.[1]) return null;
  if (!/^CM/i.test(trimmed) && !(/\d/.test(full[1]) && /[A-F]/i.test(full[1]))) return null;
  return `CM-${full[1].toUpperCase()}`;
}

/** A partial reference (the end of a number), normalised for matching: letters and digits, upper case. */
export const referenceTail = (text: string) => text.replace(/[^0-9A-Z]/gi, '').toUpperCase();
