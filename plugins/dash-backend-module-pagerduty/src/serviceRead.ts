import { LoggerService } from '@backstage/backend-plugin-api';
import {
  UpstreamCaller,
  mapWithConcurrency,
} from '@dash-suite/plugin-dash-node';
import { z } from 'zod';
import { CONFIG_ROOT, PagerDutySettings } from './config';
import { ListResult, PagerDutyClient, Query } from './PagerDutyClient';

/** Calls in flight at once within one fetch (the guard bounds them too). */
export const PARALLEL = 4;

/** One read of one PagerDuty service: the account's client, the service and the guard. */
export interface ServiceRead {
  client: PagerDutyClient;
  serviceId: string;
  settings: PagerDutySettings;
  upstream: UpstreamCaller;
  logger: LoggerService;
}

/**
 * Splits [fromMs, toMs] into consecutive ranges of at most `maxMs`, newest first (so that a
 * bounded read keeps the recent ones); one range when the window fits.
 */
export function splitRange(
  fromMs: number,
  toMs: number,
  maxMs: number,
): Array<{ since: string; until: string }> {
  const chunks: Array<{ since: string; until: string }> = [];
  let until = toMs;
  do {
    const since = Math.max(fromMs, until - maxMs);
    chunks.push({
      since: new Date(since).toISOString(),
      until: new Date(until).toISOString(),
    });
    until = since;
  } while (until > fromMs);
  return chunks;
}

/** Warns when a list read stopped at `maxPages` or skipped malformed items. */
export function warnPartial(
  read: ServiceRead,
  what: string,
  result: Pick<ListResult<unknown>, 'truncated' | 'dropped'>,
) {
  const { logger, serviceId, settings } = read;
  if (result.truncated) {
    logger.warn(
      `PagerDuty service ${serviceId}: stopped reading ${what} after ${settings.maxPages} pages of ${settings.pageSize}; older ones are not shown (raise ${CONFIG_ROOT}.maxPages or narrow the window)`,
    );
  }
  if (result.dropped) {
    logger.warn(
      `PagerDuty service ${serviceId}: skipped ${result.dropped} ${what} without the expected fields`,
    );
  }
}

/**
 * Objects by id (`GET <collection>/<id>`, a few at a time), each undefined when PagerDuty has
 * no such object or answers it without the expected fields.
 */
export async function getEachById<T>(
  read: ServiceRead,
  collection: 'incidents' | 'users',
  ids: string[],
  schema: z.ZodType<T>,
  query: Query = {},
): Promise<Map<string, T | undefined>> {
  const key = collection.slice(0, -1);
  const found = new Map<string, T | undefined>();
  await mapWithConcurrency(ids, PARALLEL, async id => {
    const body = await read.client.get(
      read.upstream,
      `${collection}/${encodeURIComponent(id)}`,
      query,
      `get ${key}`,
      { allowNotFound: true },
    );
    const parsed = schema.safeParse(
      (body as Record<string, unknown> | undefined)?.[key],
    );
    found.set(id, parsed.success ? parsed.data : undefined);
  });
  return found;
}
