/**
 * The DASH backend answers a window wider than `dash.maxWindowDays` with a 400 whose message
 * names the limit ("to: the window is 90 days; the widest allowed is 31 days"). The cards learn
 * the limit from that answer instead of keeping a second copy of it.
 */
const LIMIT = /widest allowed is (\d+) days?/i;

/** The widest window in days that the backend's error names, or undefined. */
export function windowLimitDays(error: unknown): number | undefined {
  if (!error || typeof error !== 'object') return undefined;
  const e = error as {
    message?: unknown;
    body?: { error?: { message?: unknown } };
  };
  for (const text of [e.body?.error?.message, e.message]) {
    const match = typeof text === 'string' ? LIMIT.exec(text) : null;
    const days = match ? Number(match[1]) : NaN;
    if (Number.isInteger(days) && days > 0) return days;
  }
  return undefined;
}

export interface WithinLimit<T> {
  value: T;
  /** The days actually asked for: `days`, or the backend's limit when that was smaller. */
  days: number;
  /** The backend's limit, when its answer named one. */
  limitDays?: number;
}

/**
 * Asks for `days`; when the backend answers that the window is too wide, asks again for the
 * widest it allows (once).
 */
export async function fetchWithinLimit<T>(
  days: number,
  fetcher: (days: number) => Promise<T>,
): Promise<WithinLimit<T>> {
  try {
    return { value: await fetcher(days), days };
  } catch (error) {
    const limit = windowLimitDays(error);
    if (limit === undefined || limit >= days) throw error;
    return { value: await fetcher(limit), days: limit, limitDays: limit };
  }
}
