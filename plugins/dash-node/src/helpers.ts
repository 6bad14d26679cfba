/**
 * Small helpers every source module needs.
 */

/**
 * What `readJsonCursor` needs of a schema: zod's `safeParse`, or anything shaped like it.
 *
 * @public
 */
export interface CursorSchema<T> {
  /** Checks a parsed value: `data` is set when `success` is true. */
  safeParse(value: unknown): { success: boolean; data?: T };
}

/**
 * Reads a cursor that a source stored as JSON. Undefined when there is none, when it does not
 * parse, or when it has another shape (an older version of the source wrote it): the next fetch
 * then simply starts afresh, which is always safe because events are upserted by id.
 *
 * @public
 */
export function readJsonCursor<T>(
  raw: string | undefined,
  schema: CursorSchema<T>,
): T | undefined {
  if (!raw) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    return undefined;
  }
  const parsed = schema.safeParse(value);
  return parsed.success ? parsed.data : undefined;
}

/**
 * Maps over `items` with at most `limit` calls of `fn` in flight, keeping the order of the
 * results. For per-item upstream calls (log entries of each incident, statuses of each
 * deployment) that should not all go out at once.
 *
 * @public
 */
export async function mapWithConcurrency<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i], i);
    }
  };
  await Promise.all(
    Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker),
  );
  return results;
}

/**
 * Reads a base URL from config: http(s) only, no query, fragment or credentials (secrets belong
 * in the token settings), without a trailing slash. Answers a problem naming the config key
 * instead of throwing, so that a source can report `not-configured` rather than stop the
 * backend; undefined and empty values are simply absent.
 *
 * @public
 */
export function parseBaseUrl(
  value: string | undefined,
  key: string,
): { url?: string; problem?: string } {
  const trimmed = value?.trim();
  if (!trimmed) return {};
  let parsed: URL;
  try {
    parsed = new URL(trimmed);
  } catch {
    return { problem: `${key} is not a URL: '${trimmed}'` };
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    return { problem: `${key} must be an http or https URL` };
  }
  if (parsed.search || parsed.hash || parsed.username || parsed.password) {
    return {
      problem: `${key} must not carry a query, fragment or credentials`,
    };
  }
  return { url: parsed.toString().replace(/\/+$/, '') };
}

/**
 * A whole number of at least 1 from config (page sizes, caps); the fallback when it is absent
 * or not such a number, so that a bad value never stops the backend.
 *
 * @public
 */
export function readPositiveInt(
  config: { getOptionalNumber(key: string): number | undefined } | undefined,
  key: string,
  fallback: number,
): number {
  const value = config?.getOptionalNumber(key);
  return value !== undefined && Number.isFinite(value) && value >= 1
    ? Math.floor(value)
    : fallback;
}
