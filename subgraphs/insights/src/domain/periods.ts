// Reporting periods in UTC: DAY, WEEK (ISO: Monday to Sunday) and MONTH.
import type { Granularity } from '../services/warehouse/warehouse';

const DAY_MS = 86_400_000;

/** The start of the period `at` falls in. */
export function periodStart(at: Date, granularity: Granularity): Date {
  const day = new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), at.getUTCDate()));
  if (granularity === 'DAY') return day;
  if (granularity === 'WEEK') return new Date(day.getTime() - ((day.getUTCDay() + 6) % 7) * DAY_MS);
  return new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), 1));
}

export function nextPeriod(start: Date, granularity: Granularity): Date {
  if (granularity === 'DAY') return new Date(start.getTime() + DAY_MS);
  if (granularity === 'WEEK') return new Date(start.getTime() + 7 * DAY_MS);
  return new Date(Date.UTC(start.getUTCFullYear(), start.getUTCMonth() + 1, 1));
}

/** Every period that overlaps [from, to), oldest first; at most `limit` (else null). */
export function periodsBetween(from: Date, to: Date, granularity: Granularity, limit: number): Date[] | null {
  const periods: Date[] = [];
  for (let start = periodStart(from, granularity); start < to; start = nextPeriod(start, granularity)) {
    if (periods.length === limit) return null;
    periods.push(start);
  }
  return periods;
}

/** Integer division rounded half up (amounts are non-negative minor units). */
export const divideHalfUp = (amount: number, count: number) =>
  count === 0 ? 0 : Math.floor((2 * amount + count) / (2 * count));
