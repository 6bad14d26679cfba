/* Figures of the benchmarks: percentiles (nearest rank) and how they are printed. */

/** The p-th percentile (nearest rank) of values sorted ascending. */
export function percentile(sorted: number[], p: number): number {
  const i = Math.min(
    sorted.length - 1,
    Math.ceil((p / 100) * sorted.length) - 1,
  );
  return sorted[Math.max(0, i)];
}

/** Sorted copy. */
export function ascending(values: number[]): number[] {
  return [...values].sort((x, y) => x - y);
}

export const ms = (v: number) => `${v.toFixed(1)} ms`;

/** `a / b` with two decimals, or `n/a` when b is 0. */
export const ratio = (a: number, b: number) =>
  b === 0 ? 'n/a' : (a / b).toFixed(2);
