import {
  DashEvent,
  DashEventKind,
  DashSeverity,
} from '@dash-suite/plugin-dash-common';
import { Knex } from 'knex';
import { isoTime } from './isoTime';

/** The events table (read by the store, and by the search reader). */
export const EVENTS = 'dash_events';

export interface EventRow {
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
  /** Sources whose events are left out (before `limit` applies). */
  excludeSources?: string[];
  kinds?: ReadonlyArray<DashEventKind>;
  /** Upper bound on rows; the newest are kept when it bites. */
  limit?: number;
}

type KeyColumn = 'entity_ref' | 'source' | 'event_id';
const KEY_COLUMNS: KeyColumn[] = ['entity_ref', 'source', 'event_id'];

/** Statuses (lower case) of an incident or alert that is still going on. */
export const OPEN_STATUSES: ReadonlyArray<string> = [
  'open',
  'triggered',
  'acknowledged',
  'firing',
  'alerting',
  'pending',
];

/** What an upsert did: ids of events that were new, and of events whose content changed. */
export interface UpsertOutcome {
  created: Set<string>;
  updated: Set<string>;
}

/** Rows per delete statement of the retention job. */
const DELETE_BATCH = 1000;

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
   * a new change event from a repeated one). See `upsertChanges`.
   */
  async upsert(
    events: DashEvent[],
    now: number = Date.now(),
  ): Promise<Set<string>> {
    return (await this.upsertChanges(events, now)).created;
  }

  /**
   * Inserts or updates events, and says which were new (`created`) and which existed with other
   * content (`updated`); a row whose content is unchanged is not written again (its
   * `updated_ms` is the time of its last change). Which rows are new is decided by the database
   * itself (an insert that skips existing keys and returns what it inserted, then an update of
   * the rest), so of two identical upserts racing on PostgreSQL exactly one reports a row new.
   * Two different upserts racing on one row may both report it updated (harmless: it says
   * "look again", never "nothing changed" when something did).
   */
  async upsertChanges(
    events: DashEvent[],
    now: number = Date.now(),
  ): Promise<UpsertOutcome> {
    const created = new Set<string>();
    const updated = new Set<string>();
    if (events.length === 0) return { created, updated };
    // Deduplicate within the batch: PostgreSQL refuses an upsert that touches one row twice.
    const unique = new Map<string, EventRow>();
    for (const e of events) {
      const row = toRow(e, now);
      unique.set(key(row), row);
    }
    // One order for every writer, so that concurrent batches lock rows alike (no deadlock).
    const rows = [...unique.entries()]
      .sort(([a], [b]) => byCodeUnits(a, b))
      .map(([, row]) => row);

    await this.db.transaction(async tx => {
      for (let i = 0; i < rows.length; i += UPSERT_CHUNK) {
        const chunk = rows.slice(i, i + UPSERT_CHUNK);
        const inserted: Array<Pick<EventRow, KeyColumn>> = await tx(EVENTS)
          .insert(chunk)
          .onConflict(KEY_COLUMNS)
          .ignore()
          .returning(KEY_COLUMNS);
        const insertedKeys = new Set(inserted.map(key));
        for (const row of inserted) created.add(row.event_id);
        const existing = chunk.filter(row => !insertedKeys.has(key(row)));
        if (existing.length === 0) continue;
        const stored = await this.storedContent(tx, existing);
        const changed = existing.filter(
          row => stored.get(key(row)) !== contentOf(row),
        );
        if (changed.length === 0) continue;
        for (const row of changed) updated.add(row.event_id);
        await tx(EVENTS)
          .insert(changed)
          .onConflict(KEY_COLUMNS)
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
    return { created, updated };
  }

  /** The stored content of these rows (by key), to tell a changed event from a repeated one. */
  private async storedContent(
    tx: Knex.Transaction,
    rows: EventRow[],
  ): Promise<Map<string, string>> {
    // A batch is nearly always one entity and one source: three plain `in` lists select the
    // rows (a few extra rows at most), and the keys pick them out.
    const found: EventRow[] = await tx<EventRow>(EVENTS)
      .whereIn('entity_ref', [...new Set(rows.map(r => r.entity_ref))])
      .whereIn('source', [...new Set(rows.map(r => r.source))])
      .whereIn('event_id', [...new Set(rows.map(r => r.event_id))]);
    return new Map(found.map(r => [key(r), contentOf(r)]));
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
    if (q.excludeSources?.length) query.whereNotIn('source', q.excludeSources);
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

  /**
   * Deletes events that ended (or started, when they have no end) before the cutoff, in
   * batches of `batchSize` rows (one short statement each, so a big delete never holds the
   * table for long), at most `maxBatches` batches per call. Incidents and alerts that are still
   * open (no end, or an open status such as `triggered`, `acknowledged` or `firing`) are kept
   * whatever their age. Returns how many rows were deleted and whether rows are left over.
   */
  async deleteOlderThan(
    cutoffMs: number,
    options: { batchSize?: number; maxBatches?: number } = {},
  ): Promise<{ deleted: number; more: boolean }> {
    const expired = (q: Knex.QueryBuilder) =>
      q
        .where(old =>
          old
            .where(e => e.whereNotNull('end_ms').where('end_ms', '<', cutoffMs))
            .orWhere(e =>
              e.whereNull('end_ms').where('start_ms', '<', cutoffMs),
            ),
        )
        .whereNot(open =>
          open
            .whereIn('kind', ['incident', 'alert'])
            .where(o =>
              o
                .whereNull('end_ms')
                .orWhereRaw(
                  `coalesce(lower(status), '') in (${OPEN_STATUSES.map(
                    () => '?',
                  ).join(', ')})`,
                  [...OPEN_STATUSES],
                ),
            ),
        );
    return this.deleteInBatches(expired, options);
  }

  /**
   * Deletes every event of the given entities, except those of `keepSources` (for entities
   * that left the catalog); batched like {@link EventStore.deleteOlderThan}.
   */
  async deleteForEntities(
    entityRefs: string[],
    options: {
      keepSources?: string[];
      batchSize?: number;
      maxBatches?: number;
    } = {},
  ): Promise<{ deleted: number; more: boolean }> {
    if (entityRefs.length === 0) return { deleted: 0, more: false };
    return this.deleteInBatches(q => {
      q.whereIn('entity_ref', entityRefs);
      if (options.keepSources?.length) {
        q.whereNotIn('source', options.keepSources);
      }
      return q;
    }, options);
  }

  private async deleteInBatches(
    filter: (q: Knex.QueryBuilder) => Knex.QueryBuilder,
    options: { batchSize?: number; maxBatches?: number },
  ): Promise<{ deleted: number; more: boolean }> {
    const batchSize = Math.max(1, options.batchSize ?? DELETE_BATCH);
    const maxBatches = Math.max(1, options.maxBatches ?? 1000);
    let deleted = 0;
    for (let batch = 0; batch < maxBatches; batch++) {
      const keys = await filter(
        this.db<EventRow>(EVENTS).select('entity_ref', 'source', 'event_id'),
      ).limit(batchSize);
      if (keys.length === 0) return { deleted, more: false };
      deleted += await this.db(EVENTS)
        .whereIn(
          ['entity_ref', 'source', 'event_id'],
          keys.map((k: EventRow) => [k.entity_ref, k.source, k.event_id]),
        )
        .delete();
      if (keys.length < batchSize) return { deleted, more: false };
    }
    return { deleted, more: true };
  }
}

function byCodeUnits(a: string, b: string): number {
  if (a === b) return 0;
  return a < b ? -1 : 1;
}

function key(row: Pick<EventRow, 'entity_ref' | 'source' | 'event_id'>) {
  return `${row.entity_ref}\u0000${row.source}\u0000${row.event_id}`;
}

/** A row's content (everything but its key and write time), comparable across databases. */
function contentOf(row: EventRow): string {
  const endMs =
    row.end_ms === null || row.end_ms === undefined ? null : Number(row.end_ms);
  return JSON.stringify([
    row.kind,
    row.severity,
    row.title,
    Number(row.start_ms),
    endMs,
    row.status ?? null,
    row.url ?? null,
    row.actor ?? null,
    row.attributes,
  ]);
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

export function fromRow(row: EventRow): DashEvent {
  const event: DashEvent = {
    id: row.event_id,
    source: row.source,
    kind: row.kind as DashEventKind,
    title: row.title,
    severity: row.severity as DashSeverity,
    startTime: isoTime(Number(row.start_ms)),
    entityRef: row.entity_ref,
    attributes: JSON.parse(row.attributes),
  };
  if (row.end_ms !== null && row.end_ms !== undefined) {
    event.endTime = isoTime(Number(row.end_ms));
  }
  if (row.status) event.status = row.status;
  if (row.url) event.url = row.url;
  if (row.actor) event.actor = JSON.parse(row.actor);
  return event;
}
