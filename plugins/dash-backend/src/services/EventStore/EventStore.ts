import {
  DashEvent,
  DashEventKind,
  DashSeverity,
} from '@dash-suite/plugin-dash-common';
import { Knex } from 'knex';

const EVENTS = 'dash_events';

interface EventRow {
  entity_ref: string;
  source: string;
  event_id: string;
  kind: string;
  severity: string;
  title: string;
  start_ms: number | string;
  end_ms: number | string | null;
  status: string | null;
  url: string | null;
  actor: string | null;
  attributes: string;
  updated_ms: number | string;
}

export interface EventQuery {
  entityRefs: string[];
  /** Inclusive, epoch ms. */
  fromMs: number;
  /** Inclusive, epoch ms. */
  toMs: number;
  sources?: string[];
  kinds?: ReadonlyArray<DashEventKind>;
  /** Upper bound on rows; the newest are kept when it bites. */
  limit?: number;
}

/** Rows per insert statement: well under SQLite's and PostgreSQL's bound-parameter limits. */
const UPSERT_CHUNK = 200;

/**
 * Normalized events in the Backstage database, keyed by (entity ref, source, event id).
 * Upserts make refreshes idempotent; reads are by entity and start time.
 */
export class EventStore {
  constructor(private readonly db: Knex) {}

  /**
   * Inserts or updates events. Returns the ids that did not exist before (so a caller can tell
   * a new change event from a repeated one).
   */
  async upsert(
    events: DashEvent[],
    now: number = Date.now(),
  ): Promise<Set<string>> {
    const created = new Set<string>();
    if (events.length === 0) return created;
    // Deduplicate within the batch: PostgreSQL refuses an upsert that touches one row twice.
    const unique = new Map<string, EventRow>();
    for (const e of events) {
      const row = toRow(e, now);
      unique.set(key(row), row);
    }
    const rows = [...unique.values()];

    await this.db.transaction(async tx => {
      for (let i = 0; i < rows.length; i += UPSERT_CHUNK) {
        const chunk = rows.slice(i, i + UPSERT_CHUNK);
        const existing = await existingKeys(tx, chunk);
        for (const row of chunk) {
          if (!existing.has(key(row))) created.add(row.event_id);
        }
        await tx(EVENTS)
          .insert(chunk)
          .onConflict(['entity_ref', 'source', 'event_id'])
          .merge([
            'kind',
            'severity',
            'title',
            'start_ms',
            'end_ms',
            'status',
            'url',
            'actor',
            'attributes',
            'updated_ms',
          ]);
      }
    });
    return created;
  }

  /**
   * Events that started in the window, plus incidents and alerts that started before it and were
   * still open at its start; oldest first.
   */
  async query(q: EventQuery): Promise<DashEvent[]> {
    if (q.entityRefs.length === 0) return [];
    const query = this.db<EventRow>(EVENTS)
      .whereIn('entity_ref', q.entityRefs)
      .where(inner =>
        inner.whereBetween('start_ms', [q.fromMs, q.toMs]).orWhere(open =>
          open
            .where('start_ms', '<', q.fromMs)
            .whereIn('kind', ['incident', 'alert'])
            .where(end =>
              end.whereNull('end_ms').orWhere('end_ms', '>=', q.fromMs),
            ),
        ),
      );
    if (q.sources?.length) query.whereIn('source', q.sources);
    if (q.kinds?.length) query.whereIn('kind', [...q.kinds]);
    if (q.limit) {
      const rows = await query
        .orderBy('start_ms', 'desc')
        .orderBy('event_id', 'desc')
        .limit(q.limit);
      return rows.reverse().map(fromRow);
    }
    const rows = await query
      .orderBy('start_ms', 'asc')
      .orderBy('event_id', 'asc');
    return rows.map(fromRow);
  }

  async get(
    entityRef: string,
    source: string,
    eventId: string,
  ): Promise<DashEvent | undefined> {
    const row = await this.db<EventRow>(EVENTS)
      .where({ entity_ref: entityRef, source, event_id: eventId })
      .first();
    return row ? fromRow(row) : undefined;
  }

  /** Deletes events that ended (or started, when they have no end) before the cutoff. */
  async deleteOlderThan(cutoffMs: number): Promise<number> {
    return this.db(EVENTS)
      .where(q =>
        q
          .where(e => e.whereNotNull('end_ms').where('end_ms', '<', cutoffMs))
          .orWhere(e => e.whereNull('end_ms').where('start_ms', '<', cutoffMs)),
      )
      .delete();
  }
}

function key(row: Pick<EventRow, 'entity_ref' | 'source' | 'event_id'>) {
  return `${row.entity_ref}\u0000${row.source}\u0000${row.event_id}`;
}

async function existingKeys(
  tx: Knex.Transaction,
  rows: EventRow[],
): Promise<Set<string>> {
  const found = await tx<EventRow>(EVENTS)
    .select('entity_ref', 'source', 'event_id')
    .whereIn(
      ['entity_ref', 'source', 'event_id'],
      rows.map(r => [r.entity_ref, r.source, r.event_id]),
    );
  return new Set(found.map(key));
}

function toRow(e: DashEvent, now: number): EventRow {
  return {
    entity_ref: e.entityRef,
    source: e.source,
    event_id: e.id,
    kind: e.kind,
    severity: e.severity,
    title: e.title,
    start_ms: Date.parse(e.startTime),
    end_ms: e.endTime ? Date.parse(e.endTime) : null,
    status: e.status ?? null,
    url: e.url ?? null,
    actor: e.actor ? JSON.stringify(e.actor) : null,
    attributes: JSON.stringify(e.attributes ?? {}),
    updated_ms: now,
  };
}

function fromRow(row: EventRow): DashEvent {
  const event: DashEvent = {
    id: row.event_id,
    source: row.source,
    kind: row.kind as DashEventKind,
    title: row.title,
    severity: row.severity as DashSeverity,
    startTime: new Date(Number(row.start_ms)).toISOString(),
    entityRef: row.entity_ref,
    attributes: JSON.parse(row.attributes),
  };
  if (row.end_ms !== null && row.end_ms !== undefined) {
    event.endTime = new Date(Number(row.end_ms)).toISOString();
  }
  if (row.status) event.status = row.status;
  if (row.url) event.url = row.url;
  if (row.actor) event.actor = JSON.parse(row.actor);
  return event;
}
