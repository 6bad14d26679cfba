import { guarded } from '../../database/guarded';
import {
  DiscoveryScanStatus,
  DiscoverySource,
  DiscoverySuggestion,
  SUGGESTION_STATUSES,
  SuggestionStatus,
} from '@dash-suite/plugin-project-catalog-common';
import { Knex } from 'knex';
import { AuditLog, AuditRecord } from '../AuditLog/AuditLog';
import { scanColumns, toSuggestion } from './suggestionRows';
import { DiscoveredProject, KnownSuggestions } from './types';

const SUGGESTIONS = 'pc_discovery_suggestions';
const SCANS = 'pc_discovery_scans';
/** Rows per insert, well under SQLite's limit of bound variables. */
const CHUNK = 100;

export interface ScanState {
  upstream: DiscoverySource;
  status: DiscoveryScanStatus;
  message?: string;
  lastRunMs: number;
  lastSuccessMs?: number;
  found?: number;
}

export interface SuggestionQuery {
  status?: SuggestionStatus;
  source?: DiscoverySource;
  /** Suggestions after this id (the previous page's cursor). */
  afterId?: string;
  limit: number;
}

export interface SuggestionPage {
  suggestions: DiscoverySuggestion[];
  nextCursor?: string;
  counts: Record<SuggestionStatus, number>;
}

export interface Decision {
  status: Exclude<SuggestionStatus, 'open'>;
  by: string;
  reason?: string;
  entityRef?: string;
  /** Written in the same transaction. */
  audit: AuditRecord[];
}

/**
 * The review queue and the scan states (tables `pc_discovery_suggestions`, `pc_discovery_scans`).
 * A scan's result lands in one transaction: new suggestions, refreshed open ones, open ones no
 * longer found removed, and the upstream's state. A decided suggestion (ignored, adopted, merged)
 * is never reopened or changed by a scan; only its last-seen time moves.
 */
export interface DiscoveryStore {
  known(source: DiscoverySource): Promise<KnownSuggestions>;
  applyScan(source: DiscoverySource, found: DiscoveredProject[]): Promise<void>;
  /** A failed scan: the state says why; the suggestions stay as they are. */
  recordProblem(
    source: DiscoverySource,
    status: Exclude<DiscoveryScanStatus, 'ok'>,
    message: string,
  ): Promise<void>;
  scanStates(): Promise<ScanState[]>;
  list(query: SuggestionQuery): Promise<SuggestionPage>;
  get(id: string): Promise<DiscoverySuggestion | undefined>;
  /** Decides a suggestion whose status is one of `from`; false when it is not (nothing written). */
  decide(
    id: string,
    decision: Decision,
    from: SuggestionStatus[],
  ): Promise<boolean>;
}

export class KnexDiscoveryStore implements DiscoveryStore {
  constructor(
    private readonly db: Knex,
    private readonly audit: AuditLog,
    private readonly clock: () => number = Date.now,
  ) {}

  known(source: DiscoverySource): Promise<KnownSuggestions> {
    return guarded(async () => {
      const rows = await this.db(SUGGESTIONS)
        .where({ source })
        .select('id', 'status');
      return new Map(
        rows.map(
          r => [r.id, r.status === 'open' ? 'open' : 'decided'] as const,
        ),
      );
    });
  }

  applyScan(
    source: DiscoverySource,
    found: DiscoveredProject[],
  ): Promise<void> {
    return guarded(() =>
      this.db.transaction(async trx => {
        const now = this.clock();
        const existing = new Map<string, string>(
          (await trx(SUGGESTIONS).where({ source }).select('id', 'status')).map(
            r => [r.id, r.status],
          ),
        );
        const fresh = found.filter(p => !existing.has(p.id));
        for (let i = 0; i < fresh.length; i += CHUNK) {
          await trx(SUGGESTIONS)
            .insert(
              fresh.slice(i, i + CHUNK).map(p => ({
                id: p.id,
                source,
                ...scanColumns(p),
                status: 'open',
                first_seen_ms: now,
                last_seen_ms: now,
              })),
            )
            .onConflict('id')
            .ignore();
        }
        for (const p of found.filter(f => existing.has(f.id))) {
          if (existing.get(p.id) === 'open') {
            // The status in the WHERE clause: a decision made meanwhile is never undone.
            await trx(SUGGESTIONS)
              .where({ id: p.id, status: 'open' })
              .update({ ...scanColumns(p), last_seen_ms: now });
          } else {
            await trx(SUGGESTIONS)
              .where({ id: p.id })
              .update({ last_seen_ms: now });
          }
        }
        // Open suggestions this scan did not find: the catalog has them now, or they are gone.
        const seen = new Set(found.map(p => p.id));
        const gone = [...existing]
          .filter(([id, status]) => status === 'open' && !seen.has(id))
          .map(([id]) => id);
        for (let i = 0; i < gone.length; i += CHUNK) {
          await trx(SUGGESTIONS)
            .whereIn('id', gone.slice(i, i + CHUNK))
            .where({ status: 'open' })
            .delete();
        }
        await this.writeState(trx, {
          upstream: source,
          status: 'ok',
          lastRunMs: now,
          lastSuccessMs: now,
          found: found.length,
        });
      }),
    );
  }

  recordProblem(
    source: DiscoverySource,
    status: Exclude<DiscoveryScanStatus, 'ok'>,
    message: string,
  ): Promise<void> {
    return guarded(() =>
      this.db.transaction(async trx => {
        const before = await trx(SCANS).where({ upstream: source }).first();
        await this.writeState(trx, {
          upstream: source,
          status,
          message: message.slice(0, 2000),
          lastRunMs: this.clock(),
          lastSuccessMs: before?.last_success_ms ?? undefined,
          found: before?.found ?? undefined,
        });
      }),
    );
  }

  scanStates(): Promise<ScanState[]> {
    return guarded(async () =>
      (await this.db(SCANS).select()).map(r => ({
        upstream: r.upstream,
        status: r.status,
        ...(r.message ? { message: r.message } : {}),
        lastRunMs: Number(r.last_run_ms),
        ...(r.last_success_ms !== null
          ? { lastSuccessMs: Number(r.last_success_ms) }
          : {}),
        ...(r.found !== null ? { found: Number(r.found) } : {}),
      })),
    );
  }

  list(q: SuggestionQuery): Promise<SuggestionPage> {
    return guarded(async () => {
      const rows = await this.db(SUGGESTIONS)
        .modify(b => {
          if (q.status) b.where('status', q.status);
          if (q.source) b.where('source', q.source);
          if (q.afterId !== undefined) b.where('id', '>', q.afterId);
        })
        .orderBy('id', 'asc')
        .limit(q.limit + 1);
      const grouped = await this.db(SUGGESTIONS)
        .modify(b => {
          if (q.source) b.where('source', q.source);
        })
        .select('status')
        .count({ n: '*' })
        .groupBy('status');
      const counts = Object.fromEntries(
        SUGGESTION_STATUSES.map(s => [s, 0]),
      ) as Record<SuggestionStatus, number>;
      for (const g of grouped as Array<{
        status: SuggestionStatus;
        n: unknown;
      }>) {
        counts[g.status] = Number(g.n);
      }
      const page = rows.slice(0, q.limit).map(toSuggestion);
      return rows.length > q.limit
        ? { suggestions: page, nextCursor: page[page.length - 1].id, counts }
        : { suggestions: page, counts };
    });
  }

  get(id: string): Promise<DiscoverySuggestion | undefined> {
    return guarded(async () => {
      const row = await this.db(SUGGESTIONS).where({ id }).first();
      return row ? toSuggestion(row) : undefined;
    });
  }

  decide(id: string, d: Decision, from: SuggestionStatus[]): Promise<boolean> {
    return guarded(() =>
      this.db.transaction(async trx => {
        const updated = await trx(SUGGESTIONS)
          .where({ id })
          .whereIn('status', from)
          .update({
            status: d.status,
            reason: d.reason ?? null,
            decided_by: d.by,
            decided_ms: this.clock(),
            entity_ref: d.entityRef ?? null,
          });
        if (updated !== 1) return false;
        await this.audit.record(d.audit, trx);
        return true;
      }),
    );
  }

  private async writeState(trx: Knex.Transaction, s: ScanState) {
    await trx(SCANS)
      .insert({
        upstream: s.upstream,
        status: s.status,
        message: s.message ?? null,
        last_run_ms: s.lastRunMs,
        last_success_ms: s.lastSuccessMs ?? null,
        found: s.found ?? null,
      })
      .onConflict('upstream')
      .merge();
  }
}
