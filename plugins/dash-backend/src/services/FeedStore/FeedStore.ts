import { DashSourceStatus } from '@dash-suite/plugin-dash-common';
import { Knex } from 'knex';

import { storableText } from '../../database/storableText';

const FEEDS = 'dash_feeds';
/** The longest status message kept for a feed (an upstream's error may quote its whole body). */
const MAX_MESSAGE = 2000;

interface FeedRow {
  source: string;
  entity_ref: string;
  cursor: string | null;
  fetched_ms: number | string | null;
  covered_from_ms: number | string | null;
  attempted_ms: number | string | null;
  status: string;
  error: string | null;
  retry_after_ms: number | string | null;
  lease_owner: string | null;
  lease_expires_ms: number | string | null;
  failures: number | string | null;
}

/** One (source, entity) pair: what was fetched, when, and who is fetching it now. */
export interface Feed {
  source: string;
  entityRef: string;
  cursor?: string;
  /** Last successful fetch. */
  fetchedMs?: number;
  /** Earliest time a fetch has covered. */
  coveredFromMs?: number;
  attemptedMs?: number;
  /** Outcome of the last attempt: `ok` or the failure status. */
  status: DashSourceStatus;
  error?: string;
  /** No upstream call before this time (rate limits and backoff after failures). */
  retryAfterMs?: number;
  leaseOwner?: string;
  leaseExpiresMs?: number;
  /** Failed attempts in a row; 0 after a success. */
  failures: number;
}

const num = (v: number | string | null | undefined) =>
  v === null || v === undefined ? undefined : Number(v);

function fromRow(row: FeedRow): Feed {
  return {
    source: row.source,
    entityRef: row.entity_ref,
    cursor: row.cursor ?? undefined,
    fetchedMs: num(row.fetched_ms),
    coveredFromMs: num(row.covered_from_ms),
    attemptedMs: num(row.attempted_ms),
    status: row.status as DashSourceStatus,
    error: row.error ?? undefined,
    retryAfterMs: num(row.retry_after_ms),
    leaseOwner: row.lease_owner ?? undefined,
    leaseExpiresMs: num(row.lease_expires_ms),
    failures: num(row.failures) ?? 0,
  };
}

/** Which feed, for whom, for how long, from when (default: now). */
type LeaseArgs = [
  source: string,
  entityRef: string,
  owner: string,
  leaseMs: number,
  now?: number,
];

/**
 * Feeds and their leases. A lease row makes one replica refresh a feed while the others read:
 * `tryAcquire` is a single conditional UPDATE, atomic on SQLite and PostgreSQL alike.
 */
export class FeedStore {
  private writes = 0;

  constructor(private readonly db: Knex) {}

  /**
   * Moves on every write this store made (a lease taken or given up, an outcome recorded,
   * coverage narrowed, feeds deleted), once the write is done or failed: feed states read
   * under one generation are still those in the database, as far as this process knows.
   * Writes by another backend process do not move it.
   */
  get generation(): number {
    return this.writes;
  }

  private async write<T>(statement: PromiseLike<T>): Promise<T> {
    try {
      return await statement;
    } finally {
      this.writes += 1;
    }
  }

  async get(source: string, entityRef: string): Promise<Feed | undefined> {
    const row = await this.db<FeedRow>(FEEDS)
      .where({ source, entity_ref: entityRef })
      .first();
    return row ? fromRow(row) : undefined;
  }

  async getMany(entityRefs: string[]): Promise<Feed[]> {
    if (entityRefs.length === 0) return [];
    const rows = await this.db<FeedRow>(FEEDS).whereIn(
      'entity_ref',
      entityRefs,
    );
    return rows.map(fromRow);
  }

  /** Every feed last fetched before the cutoff, or never; for pre-warming. */
  async listStale(cutoffMs: number, limit: number): Promise<Feed[]> {
    const rows = await this.db<FeedRow>(FEEDS)
      .where(q =>
        q.whereNull('fetched_ms').orWhere('fetched_ms', '<', cutoffMs),
      )
      .orderBy('fetched_ms', 'asc')
      .limit(limit);
    return rows.map(fromRow);
  }

  /**
   * Takes the lease when it is free, expired or already ours. Returns whether we hold it.
   */
  async tryAcquire(
    ...[source, entityRef, owner, leaseMs, now = Date.now()]: LeaseArgs
  ): Promise<boolean> {
    await this.write(
      this.db(FEEDS)
        .insert({ source, entity_ref: entityRef, status: 'ok' })
        .onConflict(['source', 'entity_ref'])
        .ignore(),
    );
    const updated = await this.write(
      this.db(FEEDS)
        .where({ source, entity_ref: entityRef })
        .where(q =>
          q
            .whereNull('lease_owner')
            .orWhere('lease_expires_ms', '<', now)
            .orWhere('lease_owner', owner),
        )
        .update({ lease_owner: owner, lease_expires_ms: now + leaseMs }),
    );
    return updated === 1;
  }

  /**
   * Extends the lease while a refresh runs (the heartbeat), only when `owner` still holds it.
   * Returns false when another replica has taken it (ours had expired): the refresh has lost
   * the feed and must not record its outcome. A lease that expired but that nobody took is
   * still ours, and renewing it is sound: nobody else has refreshed the feed meanwhile.
   */
  async renew(
    ...[source, entityRef, owner, leaseMs, now = Date.now()]: LeaseArgs
  ): Promise<boolean> {
    const updated = await this.write(
      this.db(FEEDS)
        .where({ source, entity_ref: entityRef, lease_owner: owner })
        .update({ lease_expires_ms: now + leaseMs }),
    );
    return updated === 1;
  }

  async release(
    source: string,
    entityRef: string,
    owner: string,
  ): Promise<void> {
    await this.write(
      this.db(FEEDS)
        .where({ source, entity_ref: entityRef, lease_owner: owner })
        .update({ lease_owner: null, lease_expires_ms: null }),
    );
  }

  /**
   * Records a successful fetch (widening the covered range) and releases the lease. A warning
   * (events the source sent that could not be stored) is kept as the feed's message. Resets
   * the backoff. Fenced: writes only while `owner` holds the lease, and returns whether it did
   * (false when another replica took the feed over; its newer outcome then stays).
   */
  async markSuccess(
    source: string,
    entityRef: string,
    owner: string,
    result: {
      fetchedMs: number;
      fetchedFromMs: number;
      cursor?: string;
      warning?: string;
    },
  ): Promise<boolean> {
    return this.recordAndRelease(source, entityRef, owner, {
      // A cursor PostgreSQL cannot store is not kept: the next fetch starts from its window.
      cursor:
        result.cursor === undefined || result.cursor.includes('\u0000')
          ? null
          : result.cursor,
      fetched_ms: result.fetchedMs,
      covered_from_ms: this.db.raw(
        'CASE WHEN covered_from_ms IS NULL OR covered_from_ms > ? THEN ? ELSE covered_from_ms END',
        [result.fetchedFromMs, result.fetchedFromMs],
      ),
      attempted_ms: result.fetchedMs,
      status: 'ok',
      error:
        result.warning === undefined
          ? null
          : storableText(result.warning, MAX_MESSAGE),
      retry_after_ms: null,
      failures: 0,
    });
  }

  /**
   * Records a failed fetch (old events stay): the status, the failures in a row and the time
   * of the next attempt (`retryAfterMs`), and releases the lease. Fenced like `markSuccess`;
   * returns whether it recorded.
   */
  async markFailure(
    source: string,
    entityRef: string,
    owner: string,
    failure: {
      attemptedMs: number;
      status: DashSourceStatus;
      error: string;
      retryAfterMs?: number;
      failures?: number;
    },
  ): Promise<boolean> {
    return this.recordAndRelease(source, entityRef, owner, {
      attempted_ms: failure.attemptedMs,
      status: failure.status,
      error: storableText(failure.error, MAX_MESSAGE),
      retry_after_ms: failure.retryAfterMs ?? null,
      ...(failure.failures !== undefined ? { failures: failure.failures } : {}),
    });
  }

  /**
   * Retention: no feed claims coverage before the cutoff any more (the events before it are
   * being deleted), so a window older than the cutoff never reads as fresh and empty. Returns
   * how many feeds moved.
   */
  async coverNoEarlierThan(cutoffMs: number): Promise<number> {
    return this.write(
      this.db(FEEDS)
        .where('covered_from_ms', '<', cutoffMs)
        .update({ covered_from_ms: cutoffMs }),
    );
  }

  /** Distinct entity refs that have feeds, in order, after `afterRef`; for pruning in pages. */
  async listEntityRefs(limit: number, afterRef?: string): Promise<string[]> {
    const query = this.db<FeedRow>(FEEDS)
      .distinct('entity_ref')
      .orderBy('entity_ref', 'asc')
      .limit(limit);
    if (afterRef !== undefined) query.where('entity_ref', '>', afterRef);
    return (await query).map(r => r.entity_ref);
  }

  /** Deletes the feeds of these entities whose lease is free or expired; returns how many. */
  async deleteForEntities(
    entityRefs: string[],
    now: number = Date.now(),
  ): Promise<number> {
    if (entityRefs.length === 0) return 0;
    return this.write(
      this.db(FEEDS)
        .whereIn('entity_ref', entityRefs)
        .where(q =>
          q.whereNull('lease_owner').orWhere('lease_expires_ms', '<', now),
        )
        .delete(),
    );
  }

  /**
   * Writes a refresh's outcome and releases the lease in one statement, fenced: only while
   * `owner` holds the lease. Returns whether it wrote.
   */
  private async recordAndRelease(
    source: string,
    entityRef: string,
    owner: string,
    columns: Record<string, unknown>,
  ): Promise<boolean> {
    const updated = await this.write(
      this.db(FEEDS)
        .where({ source, entity_ref: entityRef, lease_owner: owner })
        .update({ ...columns, ...this.releaseColumns(owner) }),
    );
    return updated === 1;
  }

  /** Clears the lease in the same statement, only when `owner` still holds it. */
  private releaseColumns(owner: string) {
    return {
      lease_owner: this.db.raw(
        'CASE WHEN lease_owner = ? THEN NULL ELSE lease_owner END',
        [owner],
      ),
      lease_expires_ms: this.db.raw(
        'CASE WHEN lease_owner = ? THEN NULL ELSE lease_expires_ms END',
        [owner],
      ),
    };
  }
}
