/** The p-th percentile (nearest rank) of ascending `sorted`; 0 for an empty list. */
export const percentile = (sorted: number[], p: number) =>
  sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]! : 0;
