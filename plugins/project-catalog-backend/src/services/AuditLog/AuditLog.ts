import {
  AuditEntry,
  AuditOutcome,
  AuditPage,
} from '@dash-suite/plugin-project-catalog-common';
import { Knex } from 'knex';

/** One row of the audit log, as a writer hands it in. */
export interface AuditRecord {
  actor: string;
  action: string;
  entityRef?: string;
  field?: string;
  before?: unknown;
  after?: unknown;
  outcome: AuditOutcome;
  reason?: string;
  requestId?: string;
}

export interface AuditLogQuery {
  entityRef?: string;
  actor?: string;
  field?: string;
  action?: string;
  fromMs?: number;
  toMs?: number;
  /** Entries older than this id (the previous page's cursor). */
  beforeId?: number;
  limit: number;
}

/** The audit log: append and read, never edit. */
export interface AuditLog {
  /** Appends rows; pass the write's transaction so that the write and its audit land together. */
  record(records: AuditRecord[], trx?: Knex.Transaction): Promise<void>;
  /** Newest first. */
  query(query: AuditLogQuery): Promise<AuditPage>;
  /** Retention: deletes entries older than the time; returns how many. */
  deleteOlderThan(timeMs: number): Promise<number>;
}

const LONGEST_REASON = 2000;

function toJson(value: unknown): string | null {
  return value === undefined ? null : JSON.stringify(value);
}

function fromJson(value: string | null): unknown {
  return value === null ? undefined : JSON.parse(value);
}

/** The audit log in the plugin's database (table `pc_audit`). */
export class KnexAuditLog implements AuditLog {
  constructor(
    private readonly db: Knex,
    private readonly clock: () => number = Date.now,
  ) {}

  async record(records: AuditRecord[], trx?: Knex.Transaction): Promise<void> {
    if (!records.length) return;
    const now = this.clock();
    await (trx ?? this.db)('pc_audit').insert(
      records.map(r => ({
        time_ms: now,
        actor: r.actor,
        action: r.action,
        entity_ref: r.entityRef ?? null,
        field: r.field ?? null,
        before: toJson(r.before),
        after: toJson(r.after),
        outcome: r.outcome,
        reason: r.reason?.slice(0, LONGEST_REASON) ?? null,
        request_id: r.requestId ?? null,
      })),
    );
  }

  async query(q: AuditLogQuery): Promise<AuditPage> {
    const rows = await this.db('pc_audit')
      .modify(b => {
        if (q.entityRef) b.where('entity_ref', q.entityRef);
        if (q.actor) b.where('actor', q.actor);
        if (q.field) b.where('field', q.field);
        if (q.action) b.where('action', q.action);
        if (q.fromMs !== undefined) b.where('time_ms', '>=', q.fromMs);
        if (q.toMs !== undefined) b.where('time_ms', '<', q.toMs);
        if (q.beforeId !== undefined) b.where('id', '<', q.beforeId);
      })
      .orderBy('id', 'desc')
      .limit(q.limit + 1);
    const page = rows.slice(0, q.limit);
    const entries: AuditEntry[] = page.map((r: any) => ({
      id: String(r.id),
      time: new Date(Number(r.time_ms)).toISOString(),
      actor: r.actor,
      action: r.action,
      ...(r.entity_ref ? { entityRef: r.entity_ref } : {}),
      ...(r.field ? { field: r.field } : {}),
      ...(r.before !== null ? { before: fromJson(r.before) } : {}),
      ...(r.after !== null ? { after: fromJson(r.after) } : {}),
      outcome: r.outcome,
      ...(r.reason ? { reason: r.reason } : {}),
      ...(r.request_id ? { requestId: r.request_id } : {}),
    }));
    return rows.length > q.limit
      ? { entries, nextCursor: String(page[page.length - 1].id) }
      : { entries };
  }

  async deleteOlderThan(timeMs: number): Promise<number> {
    return this.db('pc_audit').where('time_ms', '<', timeMs).delete();
  }
}
