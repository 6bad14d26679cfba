import { InputError } from '@backstage/errors';
import {
  DASH_SEARCH_KINDS,
  DashSearchEventsResponse,
} from '@dash-suite/plugin-dash-common';
import { Knex } from 'knex';
import { EVENTS, EventRow, fromRow } from '../EventStore/EventStore';

/** Where an event stands in the reader's order: (start, entity ref, source, id), descending. */
interface EventKey {
  startMs: number;
  entityRef: string;
  source: string;
  eventId: string;
}

/**
 * What Backstage search indexes (through `GET /search-events`): stored events of the
 * searchable kinds that started at or after a time, newest first, a page at a time. Pages are
 * keyset pages over (start time, entity ref, source, id) descending, so a page never repeats or
 * skips an event because of what was written meanwhile; the cursor is that key, opaque to the
 * caller.
 */
export class SearchEventsReader {
  constructor(private readonly db: Knex) {}

  async page(q: {
    sinceMs: number;
    limit: number;
    cursor?: string;
  }): Promise<DashSearchEventsResponse> {
    const query = this.db<EventRow>(EVENTS)
      .where('start_ms', '>=', q.sinceMs)
      .whereIn('kind', [...DASH_SEARCH_KINDS]);
    if (q.cursor) {
      const after = decodeCursor(q.cursor);
      query.whereRaw(
        '(start_ms, entity_ref, source, event_id) < (?, ?, ?, ?)',
        [after.startMs, after.entityRef, after.source, after.eventId],
      );
    }
    // One row more than the page, to know whether another page follows.
    const rows = await query
      .orderBy([
        { column: 'start_ms', order: 'desc' },
        { column: 'entity_ref', order: 'desc' },
        { column: 'source', order: 'desc' },
        { column: 'event_id', order: 'desc' },
      ])
      .limit(q.limit + 1);
    const page = rows.slice(0, q.limit);
    const last = page[page.length - 1];
    return {
      events: page.map(fromRow),
      ...(rows.length > q.limit && last
        ? {
            nextCursor: encodeCursor({
              startMs: Number(last.start_ms),
              entityRef: last.entity_ref,
              source: last.source,
              eventId: last.event_id,
            }),
          }
        : {}),
    };
  }
}

function encodeCursor(key: EventKey): string {
  return Buffer.from(
    JSON.stringify([key.startMs, key.entityRef, key.source, key.eventId]),
  ).toString('base64url');
}

function decodeCursor(cursor: string): EventKey {
  try {
    const [startMs, entityRef, source, eventId] = JSON.parse(
      Buffer.from(cursor, 'base64url').toString('utf8'),
    );
    if (
      Number.isSafeInteger(startMs) &&
      [entityRef, source, eventId].every(v => typeof v === 'string')
    ) {
      return { startMs, entityRef, source, eventId };
    }
  } catch {
    // fall through to the error below
  }
  throw new InputError('cursor: is not a cursor this route answered');
}
