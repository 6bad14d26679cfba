import { LoggerService } from '@backstage/backend-plugin-api';
import { Entity } from '@backstage/catalog-model';
import {
  DashEvent,
  DashEventKind,
  DashOnCallEntry,
  DashSourceStatus,
} from '@dash-suite/plugin-dash-common';

/**
 * Runs one upstream call under the source's guard: timeout, retries with jitter (only when
 * `idempotent`), circuit breaker, rate budget and bounded concurrency. The `signal` aborts when
 * the guard gives up on the call; pass it to the HTTP client.
 *
 * @public
 */
export interface UpstreamCaller {
  /** Runs `fn` under the guard; rejects with the call's error or the guard's own. */
  call<T>(
    fn: (signal: AbortSignal) => Promise<T>,
    options?: { idempotent?: boolean; name?: string },
  ): Promise<T>;
  /**
   * Tell the guard what the upstream said about its rate limit, from response headers: how many
   * calls are left and when the window resets. The guard slows down before it hits the wall.
   */
  observeRateLimit(info: {
    remaining?: number;
    limit?: number;
    resetAt?: Date;
  }): void;
}

/**
 * What a source gets with every call.
 *
 * @public
 */
export interface SourceContext {
  /** Every upstream call goes through it. */
  upstream: UpstreamCaller;
  /** The backend's logger, scoped to the source. */
  logger: LoggerService;
  /**
   * Events that other sources stored for the same entity (read-only, from the DASH database,
   * no upstream call), oldest first; at most `limit` (default and maximum 200), the newest
   * kept when it bites. For a source that builds on another one's findings (Slack reads the
   * channels of PagerDuty's incidents). Absent where no store is at hand (unit tests).
   */
  readStoredEvents?(query: StoredEventsQuery): Promise<DashEvent[]>;
}

/**
 * What `SourceContext.readStoredEvents` reads: events that started in [from, to] (and incidents
 * and alerts still open at `from`), of these sources and kinds when given.
 *
 * @public
 */
export interface StoredEventsQuery {
  /** Only these sources' events (the asking source's own are never answered). */
  sources?: string[];
  /** Only these kinds. */
  kinds?: DashEventKind[];
  /** Start of the window (inclusive). */
  from: Date;
  /** End of the window (inclusive). */
  to: Date;
  /** At most 200 (also the default). */
  limit?: number;
}

/**
 * The most events one `readStoredEvents` answers.
 *
 * @public
 */
export const MAX_STORED_EVENTS_READ = 200;

/**
 * What the DASH backend asks a source for: the events of one entity in one window.
 *
 * @public
 */
export interface FetchEventsRequest {
  /** The catalog entity, as the backend read it with the caller's credentials. */
  entity: Entity;
  /** `kind:namespace/name` of the entity, lower-case. Every returned event must carry it. */
  entityRef: string;
  /** Fetch events that started (or changed) in [from, to]. */
  from: Date;
  /** End of the window (inclusive). */
  to: Date;
  /**
   * What the source returned as `cursor` after its last successful fetch for this entity
   * (for example GitHub ETags), or undefined on the first fetch. Opaque to DASH.
   */
  cursor?: string;
}

/**
 * What a source answers to `fetchEvents`.
 *
 * @public
 */
export interface FetchEventsResult {
  /** Events in the window; they are upserted by id, so returning one twice is harmless. */
  events: DashEvent[];
  /** Saved and handed back on the next fetch. */
  cursor?: string;
  /**
   * Said to the user beside an `ok` status when the fetch succeeded only in part (for example
   * one of several clusters could not be reached); the events returned are stored as usual.
   */
  warning?: string;
}

/**
 * A link into an upstream's own UI, offered under "Open in…".
 *
 * @public
 */
export interface DeepLink {
  /** What the link opens, e.g. `Grafana: payments overview`. */
  title: string;
  /** An http(s) URL; anything else is dropped. */
  url: string;
}

/**
 * A source of timeline events, registered by a backend module through
 * `dashSourcesExtensionPoint`. A source knows its upstream API and how to normalize it; it knows
 * nothing of caching, HTTP routing or permissions, which the DASH backend does.
 *
 * @public
 */
export interface SignalSource {
  /** Stable id, lower-case, e.g. `pagerduty`; also the `source` of its events. */
  readonly id: string;
  /** Human name for status chips, e.g. `PagerDuty`. */
  readonly title: string;

  /**
   * Whether the source has something to say about the entity, usually from its annotations.
   * Sources that do not apply are not listed for the entity.
   */
  appliesTo(entity: Entity): boolean;

  /**
   * Undefined when the source is configured; otherwise why not, in words (the source then
   * reports `not-configured` and is never called).
   */
  configurationProblem?(entity: Entity): string | undefined;

  /**
   * Undefined when the source may read what the entity's annotations name with the backend's
   * credentials (it is in the source's allow-list, or the source has none); otherwise why not,
   * in words for the reader (the source then reports `not-allowed`, and it is never called for
   * the entity: no events, on-call, alerts or deep links). Checked after `configurationProblem`.
   * Must not call the upstream, and must not say more than the reader may learn (for example,
   * whether a private repository exists).
   */
  accessProblem?(entity: Entity): string | undefined;

  /** The entity's events in the window; throw `UpstreamError` to say why it failed. */
  fetchEvents(
    request: FetchEventsRequest,
    context: SourceContext,
  ): Promise<FetchEventsResult>;

  /** Who is on call for the entity now. */
  getOnCall?(
    entity: Entity,
    context: SourceContext,
  ): Promise<DashOnCallEntry[]>;

  /** Alerts firing now. */
  getFiringAlerts?(
    entity: Entity,
    context: SourceContext,
  ): Promise<DashEvent[]>;

  /** Links into the upstream's UI for the entity and window (dashboards, Discover, ...). */
  getDeepLinks?(entity: Entity, window: { from: Date; to: Date }): DeepLink[];
}

/**
 * Throw from a source to say why a call failed; the DASH backend turns it into the source's
 * status. Any other error counts as `error`.
 *
 * @public
 */
export class UpstreamError extends Error {
  /** The source status the failure becomes. */
  readonly status: Exclude<DashSourceStatus, 'ok' | 'stale' | 'refreshing'>;
  /** For `rate-limited`: how long the upstream asked us to wait. */
  readonly retryAfterMs?: number;
  /**
   * The HTTP status the upstream answered, when the failure is an HTTP answer. A 4xx other than
   * 401, 403 and 429 says that our request was wrong (a bad range, an unknown id): the guard
   * fails that call without retrying it and without counting it toward the circuit breaker.
   */
  readonly httpStatus?: number;

  constructor(
    status: Exclude<DashSourceStatus, 'ok' | 'stale' | 'refreshing'>,
    message: string,
    options?: { retryAfterMs?: number; cause?: unknown; httpStatus?: number },
  ) {
    super(message, { cause: options?.cause });
    this.name = 'UpstreamError';
    this.status = status;
    this.retryAfterMs = options?.retryAfterMs;
    this.httpStatus = options?.httpStatus;
  }

  /** True for an `UpstreamError`, also one from another copy of this package. */
  static isUpstreamError(e: unknown): e is UpstreamError {
    return e instanceof Error && e.name === 'UpstreamError' && 'status' in e;
  }
}

/**
 * Parses a `Retry-After` header (seconds or an HTTP date) into milliseconds from `now`.
 * Undefined when absent or unparseable.
 *
 * @public
 */
export function parseRetryAfter(
  value: string | null | undefined,
  now: number = Date.now(),
): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  if (/^[+-]?\d+(\.\d+)?$/.test(trimmed)) {
    const seconds = Number(trimmed);
    return seconds >= 0 ? seconds * 1000 : undefined;
  }
  const date = Date.parse(trimmed);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - now);
}
