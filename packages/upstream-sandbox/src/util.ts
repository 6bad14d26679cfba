/*
 * Small helpers shared across the package.
 */

/** -1, 0 or 1, for sorting strings or numbers. */
export function compare(a: string | number, b: string | number): number {
  if (a < b) return -1;
  return a > b ? 1 : 0;
}

/** Wraps a value in an array (undefined becomes empty). */
export function toArray<T>(v: T | T[] | undefined): T[] {
  if (v === undefined) return [];
  return Array.isArray(v) ? v : [v];
}
