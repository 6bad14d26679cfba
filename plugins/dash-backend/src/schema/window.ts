import { InputError } from '@backstage/errors';
import { DAY_MS } from '@dash-suite/plugin-dash-common';

/**
 * A window from optional ISO bounds: `to` defaults to now, `from` to `defaultMs` before `to`;
 * `from` must come before `to`, and the window may be no wider than `maxWindowMs`. The routes
 * and the actions both read their windows with it.
 */
export function resolveWindow(options: {
  from?: string;
  to?: string;
  defaultMs: number;
  maxWindowMs: number;
  now: number;
}): { fromMs: number; toMs: number } {
  const { from, to, defaultMs, maxWindowMs, now } = options;
  const toMs = to ? Date.parse(to) : now;
  const fromMs = from ? Date.parse(from) : toMs - defaultMs;
  if (fromMs >= toMs) {
    throw new InputError(
      `from: must be before to (got from=${new Date(
        fromMs,
      ).toISOString()}, to=${new Date(toMs).toISOString()})`,
    );
  }
  if (toMs - fromMs > maxWindowMs) {
    throw new InputError(
      `to: the window is ${Math.ceil(
        (toMs - fromMs) / DAY_MS,
      )} days; the widest allowed is ${Math.round(maxWindowMs / DAY_MS)} days`,
    );
  }
  return { fromMs, toMs };
}

/** Refuses source ids the backend does not know, naming the ones it does. */
export function checkSources(asked: string[] | undefined, known: string[]) {
  const unknown = (asked ?? []).filter(s => !known.includes(s));
  if (unknown.length) {
    throw new InputError(
      `sources: unknown source ${unknown.join(', ')}; known are ${known.join(
        ', ',
      )}`,
    );
  }
}
