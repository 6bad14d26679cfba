import { LoggerService } from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import {
  ANNOTATION_PAGERDUTY_ACCOUNT,
  ANNOTATION_PAGERDUTY_SERVICE_ID,
  DashEvent,
  DashOnCallEntry,
} from '@dash-suite/plugin-dash-common';
import {
  DeepLink,
  FetchEventsRequest,
  FetchEventsResult,
  mapWithConcurrency,
  readJsonCursor,
  safeLink,
  SignalSource,
  SourceContext,
  UpstreamCaller,
  UpstreamError,
  warnWithoutAllowList,
} from '@dash-suite/plugin-dash-node';
import { z } from 'zod';
import {
  CONFIG_ROOT,
  DEFAULT_ACCOUNT,
  PagerDutySettings,
  readPagerDutySettings,
} from './config';
import { PagerDutyClient } from './PagerDutyClient';
import {
  SOURCE_ID,
  changeEvent,
  handoffEvents,
  incidentEvent,
  logEntryEvent,
  onCallEntries,
} from './normalize';
import {
  Incident,
  changeEventSchema,
  incidentSchema,
  logEntrySchema,
  oncallSchema,
  serviceSchema,
  userSchema,
} from './schemas';

const SERVICE_ID = /^[A-Z0-9]{1,64}$/i;
const ACCOUNT_NAME = /^[\w-]{1,64}$/;
/** Open incidents re-read by id per fetch; the rest wait for the next one. */
const MAX_REREAD = 25;
/** Incident ids kept in the cursor, so that it stays small. */
const MAX_CURSOR_IDS = 500;
/** How long the service's escalation policy id is reused from the cursor. */
const POLICY_TTL_MS = 3600_000;
/** Calls in flight at once within one fetch (the guard bounds them too). */
const PARALLEL = 4;
/** Users looked up for their e-mail address per on-call read. */
const MAX_USER_LOOKUPS = 10;
/** Slack when deciding whether an incident changed since the last fetch. */
const CHANGE_SLACK_MS = 5 * 60_000;
const DAY_MS = 24 * 3600_000;
/**
 * Longest `since`/`until` range PagerDuty accepts: 6 months for incidents (it answers 400 "the
 * date range may span at most 180 days" past that) and 90 days for on-calls. Longer windows are
 * read in chunks.
 */
const MAX_INCIDENT_RANGE_MS = 180 * DAY_MS;
const MAX_ONCALL_RANGE_MS = 90 * DAY_MS;

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

const cursorSchema = z.object({
  v: z.literal(1),
  from: z.number(),
  to: z.number(),
  open: z.array(z.string()).max(MAX_CURSOR_IDS),
  pendingLogs: z.array(z.string()).max(MAX_CURSOR_IDS),
  policy: z
    .object({
      serviceId: z.string(),
      id: z.string().nullable(),
      at: z.number(),
    })
    .optional(),
});
type Cursor = z.infer<typeof cursorSchema>;

const changedAt = (incident: Incident) =>
  Math.max(
    ...[
      incident.updated_at,
      incident.last_status_change_at,
      incident.resolved_at,
      incident.created_at,
    ]
      .map(t => (t ? Date.parse(t) : NaN))
      .filter(t => !Number.isNaN(t)),
    0,
  );

interface Target {
  client: PagerDutyClient;
  serviceId: string;
}

/**
 * PagerDuty as a DASH source: the service's incidents and their log entries, its change events
 * and the on-call hand-offs of its escalation policy, and who is on call now.
 */
export class PagerDutySource implements SignalSource {
  readonly id = SOURCE_ID;
  readonly title = 'PagerDuty';
  private readonly clients = new Map<string, PagerDutyClient>();

  static fromConfig(config: Config, logger: LoggerService): PagerDutySource {
    return new PagerDutySource(readPagerDutySettings(config), logger);
  }

  constructor(
    private readonly settings: PagerDutySettings,
    logger: LoggerService,
  ) {
    for (const [name, account] of settings.accounts) {
      this.clients.set(
        name,
        new PagerDutyClient({
          account,
          retryTimeoutMs: settings.retryTimeoutMs,
          pageSize: settings.pageSize,
          maxPages: settings.maxPages,
          logger,
        }),
      );
    }
    for (const [name, problem] of settings.problems) {
      logger.warn(`PagerDuty account '${name}' is not usable: ${problem}`);
    }
    const open = [...settings.accounts.values()].filter(a => !a.allow);
    if (open.length) {
      warnWithoutAllowList(
        logger,
        'PagerDuty',
        ANNOTATION_PAGERDUTY_SERVICE_ID,
        [...new Set(open.map(a => a.allowKey))].join(' and '),
      );
    }
  }

  appliesTo(entity: Entity): boolean {
    return Boolean(
      entity.metadata.annotations?.[ANNOTATION_PAGERDUTY_SERVICE_ID]?.trim(),
    );
  }

  configurationProblem(entity: Entity): string | undefined {
    return this.resolve(entity).problem;
  }

  /** `not-allowed` for a service outside its account's `allow.services`. */
  accessProblem(entity: Entity): string | undefined {
    const { target } = this.resolve(entity);
    const allow = target?.client.account.allow;
    if (!target || !allow || allow.allows(target.serviceId)) return undefined;
    return `PagerDuty service ${target.serviceId} is not in ${target.client.account.allowKey}, the services DASH may read`;
  }

  private resolve(entity: Entity): { target?: Target; problem?: string } {
    const annotations = entity.metadata.annotations ?? {};
    const serviceId =
      annotations[ANNOTATION_PAGERDUTY_SERVICE_ID]?.trim() ?? '';
    if (!SERVICE_ID.test(serviceId)) {
      return {
        problem: `The ${ANNOTATION_PAGERDUTY_SERVICE_ID} annotation '${serviceId.slice(
          0,
          80,
        )}' is not a PagerDuty service id (letters and digits, e.g. PABC123)`,
      };
    }
    const accountName =
      annotations[ANNOTATION_PAGERDUTY_ACCOUNT]?.trim() || DEFAULT_ACCOUNT;
    if (!ACCOUNT_NAME.test(accountName)) {
      return {
        problem: `The ${ANNOTATION_PAGERDUTY_ACCOUNT} annotation '${accountName.slice(
          0,
          80,
        )}' is not an account name (letters, digits, _ and -)`,
      };
    }
    const client = this.clients.get(accountName);
    if (client) return { target: { client, serviceId } };
    const problem = this.settings.problems.get(accountName);
    if (problem) return { problem: `PagerDuty is not configured: ${problem}` };
    return {
      problem:
        accountName === DEFAULT_ACCOUNT
          ? `PagerDuty is not configured: ${CONFIG_ROOT}.token is missing`
          : `PagerDuty is not configured: there is no account '${accountName}' under ${CONFIG_ROOT}.accounts`,
    };
  }

  private target(entity: Entity): Target {
    const { target, problem } = this.resolve(entity);
    if (!target) throw new UpstreamError('not-configured', problem!);
    const denied = this.accessProblem(entity);
    if (denied) throw new UpstreamError('not-allowed', denied);
    return target;
  }

  async fetchEvents(
    request: FetchEventsRequest,
    context: SourceContext,
  ): Promise<FetchEventsResult> {
    const { client, serviceId } = this.target(request.entity);
    const { upstream, logger } = context;
    const ui = client.account.uiBaseUrl;
    const cursor = readJsonCursor(request.cursor, cursorSchema);
    const fromMs = request.from.getTime();
    const toMs = request.to.getTime();
    // A window reaching further back than the last fetch is read in full.
    const full = !cursor || fromMs < cursor.from;
    const since = request.from.toISOString();
    const until = request.to.toISOString();
    const svc = encodeURIComponent(serviceId);

    // Incidents created in the window (`since`/`until` filter on creation), newest first so
    // that a truncated read keeps the recent ones; in chunks PagerDuty accepts.
    const incidents = new Map<string, Incident>();
    for (const chunk of splitRange(fromMs, toMs, MAX_INCIDENT_RANGE_MS)) {
      const listed = await client.list(
        upstream,
        'incidents',
        {
          'service_ids[]': [serviceId],
          since: chunk.since,
          until: chunk.until,
          time_zone: 'UTC',
          sort_by: 'created_at:desc',
        },
        'incidents',
        incidentSchema,
        'list incidents',
      );
      this.warnPartial(logger, 'incidents', serviceId, listed);
      for (const i of listed.items) incidents.set(i.id, i);
    }

    // Incidents that were open at the last fetch and are not in this window (created before
    // it): read again by id so that their acknowledgement or resolution is caught.
    const reread = (cursor?.open ?? []).filter(id => !incidents.has(id));
    const rereadNow = reread.slice(0, MAX_REREAD);
    const stillUnread = reread.slice(MAX_REREAD);
    const gone = new Set<string>();
    await mapWithConcurrency(rereadNow, PARALLEL, async id => {
      const body = await client.get(
        upstream,
        `incidents/${encodeURIComponent(id)}`,
        {},
        'get incident',
        { allowNotFound: true },
      );
      const parsed = incidentSchema.safeParse(
        (body as Record<string, unknown> | undefined)?.incident,
      );
      if (parsed.success) incidents.set(id, parsed.data);
      else gone.add(id);
    });

    // Log entries: of incidents that are open, changed since the last fetch, or were left over
    // last time; all of them on a full read.
    const sinceLast = (cursor?.to ?? 0) - CHANGE_SLACK_MS;
    const wanted = new Set<string>(cursor?.pendingLogs ?? []);
    for (const incident of incidents.values()) {
      if (
        full ||
        incident.status !== 'resolved' ||
        changedAt(incident) >= sinceLast
      ) {
        wanted.add(incident.id);
      }
    }
    const logIds = [...wanted].filter(id => !gone.has(id));
    const logNow = logIds.slice(0, this.settings.maxLogEntryIncidents);
    const logLater = logIds.slice(this.settings.maxLogEntryIncidents);
    if (logLater.length) {
      logger.warn(
        `PagerDuty service ${serviceId}: log entries of ${logLater.length} incident(s) are left for the next fetch (${this.settings.maxLogEntryIncidents} per fetch)`,
      );
    }

    const [logEntries, changes, handoffs] = await Promise.all([
      mapWithConcurrency(logNow, PARALLEL, async id => {
        const result = await client.list(
          upstream,
          `incidents/${encodeURIComponent(id)}/log_entries`,
          { is_overview: 'true', time_zone: 'UTC' },
          'log_entries',
          logEntrySchema,
          'list log entries',
          3,
          { allowNotFound: true },
        );
        this.warnPartial(
          logger,
          `log entries of incident ${id}`,
          serviceId,
          result,
        );
        return result.items;
      }),
      client.list(
        upstream,
        `services/${svc}/change_events`,
        { since, until },
        'change_events',
        changeEventSchema,
        'list change events',
      ),
      this.handoffs(client, serviceId, cursor, request, context),
    ]);
    this.warnPartial(logger, 'change events', serviceId, changes);

    const events: DashEvent[] = [];
    for (const incident of incidents.values()) {
      const e = incidentEvent(incident, request.entityRef, ui);
      if (e) events.push(e);
    }
    for (const entry of logEntries.flat()) {
      const e = logEntryEvent(entry, request.entityRef, ui);
      if (e) events.push(e);
    }
    for (const change of changes.items) {
      const e = changeEvent(change, request.entityRef, ui, serviceId);
      if (e) events.push(e);
    }
    events.push(...handoffs.events);

    const open = [
      ...[...incidents.values()]
        .filter(i => i.status !== 'resolved')
        .map(i => i.id),
      ...stillUnread,
    ];
    const next: Cursor = {
      v: 1,
      from: cursor && !full ? Math.min(cursor.from, fromMs) : fromMs,
      to: toMs,
      open: [...new Set(open)].slice(0, MAX_CURSOR_IDS),
      pendingLogs: logLater.slice(0, MAX_CURSOR_IDS),
      ...(handoffs.policy ? { policy: handoffs.policy } : {}),
    };
    return { events, cursor: JSON.stringify(next) };
  }

  private warnPartial(
    logger: LoggerService,
    what: string,
    serviceId: string,
    result: { truncated: boolean; dropped: number },
  ) {
    if (result.truncated) {
      logger.warn(
        `PagerDuty service ${serviceId}: stopped reading ${what} after ${this.settings.maxPages} pages of ${this.settings.pageSize}; older ones are not shown (raise ${CONFIG_ROOT}.maxPages or narrow the window)`,
      );
    }
    if (result.dropped) {
      logger.warn(
        `PagerDuty service ${serviceId}: skipped ${result.dropped} ${what} without the expected fields`,
      );
    }
  }

  /** The service's escalation policy id (null when it has none). */
  private async policyOf(
    client: PagerDutyClient,
    upstream: UpstreamCaller,
    serviceId: string,
  ): Promise<string | null> {
    const service = await client.getOne(
      upstream,
      `services/${encodeURIComponent(serviceId)}`,
      {},
      'service',
      serviceSchema,
      'get service',
      `PagerDuty has no service ${serviceId}: check the ${ANNOTATION_PAGERDUTY_SERVICE_ID} annotation`,
    );
    return service.escalation_policy?.id ?? null;
  }

  private async handoffs(
    client: PagerDutyClient,
    serviceId: string,
    cursor: Cursor | undefined,
    request: FetchEventsRequest,
    context: SourceContext,
  ): Promise<{ events: DashEvent[]; policy?: Cursor['policy'] }> {
    const now = Date.now();
    let policy = cursor?.policy;
    if (
      !policy ||
      policy.serviceId !== serviceId ||
      now - policy.at > POLICY_TTL_MS
    ) {
      policy = {
        serviceId,
        id: await this.policyOf(client, context.upstream, serviceId),
        at: now,
      };
    }
    if (!policy.id) return { events: [], policy };
    const items: z.infer<typeof oncallSchema>[] = [];
    for (const chunk of splitRange(
      request.from.getTime(),
      request.to.getTime(),
      MAX_ONCALL_RANGE_MS,
    )) {
      const oncalls = await client.list(
        context.upstream,
        'oncalls',
        {
          'escalation_policy_ids[]': [policy.id],
          since: chunk.since,
          until: chunk.until,
          time_zone: 'UTC',
        },
        'oncalls',
        oncallSchema,
        'list on-calls',
      );
      this.warnPartial(context.logger, 'on-calls', serviceId, oncalls);
      items.push(...oncalls.items);
    }
    // A shift that spans two chunks is answered in both: keep it once.
    const seen = new Set<string>();
    const shifts = items.filter(o => {
      const key = [o.escalation_level, o.user.id, o.schedule?.id, o.start].join(
        '|',
      );
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
    return {
      events: handoffEvents(
        shifts,
        request.entityRef,
        request,
        client.account.uiBaseUrl,
      ),
      policy,
    };
  }

  async getOnCall(
    entity: Entity,
    context: SourceContext,
  ): Promise<DashOnCallEntry[]> {
    const { client, serviceId } = this.target(entity);
    const { upstream } = context;
    const policyId = await this.policyOf(client, upstream, serviceId);
    if (!policyId) return [];
    const oncalls = await client.list(
      upstream,
      'oncalls',
      {
        'escalation_policy_ids[]': [policyId],
        'include[]': ['users'],
        time_zone: 'UTC',
      },
      'oncalls',
      oncallSchema,
      'list on-calls',
      2,
    );
    // With include[]=users PagerDuty answers full users; without it (or from an older API)
    // only references: look those up, a few at most.
    const missing = [
      ...new Set(oncalls.items.filter(o => !o.user.email).map(o => o.user.id)),
    ].slice(0, MAX_USER_LOOKUPS);
    const users = new Map<
      string,
      { name?: string; email?: string; url?: string }
    >();
    await mapWithConcurrency(missing, PARALLEL, async id => {
      const body = await client.get(
        upstream,
        `users/${encodeURIComponent(id)}`,
        {},
        'get user',
        { allowNotFound: true },
      );
      const parsed = userSchema.safeParse(
        (body as Record<string, unknown> | undefined)?.user,
      );
      if (parsed.success) {
        users.set(id, {
          name: parsed.data.name ?? parsed.data.summary ?? undefined,
          email: parsed.data.email ?? undefined,
          url: safeLink(parsed.data.html_url),
        });
      }
    });
    return onCallEntries(
      oncalls.items,
      stringifyEntityRef(entity).toLocaleLowerCase('en-US'),
      users,
      client.account.uiBaseUrl,
    );
  }

  getDeepLinks(entity: Entity): DeepLink[] {
    const { target } = this.resolve(entity);
    const ui = target?.client.account.uiBaseUrl;
    if (!target || !ui || this.accessProblem(entity)) return [];
    const url = safeLink(
      `${ui}/service-directory/${encodeURIComponent(target.serviceId)}`,
    );
    return url ? [{ title: 'PagerDuty service', url }] : [];
  }
}
