import {
  ANNOTATION_PAGERDUTY_SERVICE_ID,
  DAY_MS,
  DashEvent,
  DashOnCallEntry,
  HOUR_MS,
} from '@dash-suite/plugin-dash-common';
import { safeLink } from '@dash-suite/plugin-dash-node';
import { handoffEvents, onCallEntries } from './normalize';
import { OnCall, oncallSchema, serviceSchema, userSchema } from './schemas';
import {
  ServiceRead,
  getEachById,
  splitRange,
  warnPartial,
} from './serviceRead';

/** How long the service's escalation policy id is reused from the cursor. */
const POLICY_TTL_MS = HOUR_MS;
/** Users looked up for their e-mail address per on-call read. */
const MAX_USER_LOOKUPS = 10;
/**
 * Longest `since`/`until` range PagerDuty accepts for on-calls: 90 days. Longer windows are
 * read in chunks.
 */
const MAX_ONCALL_RANGE_MS = 90 * DAY_MS;

/** The service's escalation policy id as kept in the cursor, with when it was read. */
export interface PolicyMemo {
  serviceId: string;
  id: string | null;
  at: number;
}

/** The service's escalation policy id (null when it has none). */
async function policyOf(read: ServiceRead): Promise<string | null> {
  const { client, upstream, serviceId } = read;
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

/**
 * On-call hand-offs of the service's escalation policy in the window, with the policy id
 * (re-read when the remembered one is older than an hour or of another service).
 */
export async function readHandoffs(
  read: ServiceRead,
  remembered: PolicyMemo | undefined,
  request: { entityRef: string; from: Date; to: Date },
): Promise<{ events: DashEvent[]; policy: PolicyMemo }> {
  const { client, upstream, serviceId } = read;
  const now = Date.now();
  let policy = remembered;
  if (
    !policy ||
    policy.serviceId !== serviceId ||
    now - policy.at > POLICY_TTL_MS
  ) {
    policy = { serviceId, id: await policyOf(read), at: now };
  }
  if (!policy.id) return { events: [], policy };
  const items: OnCall[] = [];
  for (const chunk of splitRange(
    request.from.getTime(),
    request.to.getTime(),
    MAX_ONCALL_RANGE_MS,
  )) {
    const oncalls = await client.list(
      upstream,
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
    warnPartial(read, 'on-calls', oncalls);
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

/** Who is on call for the service now, with e-mail addresses looked up where missing. */
export async function readOnCallNow(
  read: ServiceRead,
  entityRef: string,
): Promise<DashOnCallEntry[]> {
  const { client, upstream } = read;
  const policyId = await policyOf(read);
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
  for (const [id, user] of await getEachById(
    read,
    'users',
    missing,
    userSchema,
  )) {
    if (user) {
      users.set(id, {
        name: user.name ?? user.summary ?? undefined,
        email: user.email ?? undefined,
        url: safeLink(user.html_url),
      });
    }
  }
  return onCallEntries(
    oncalls.items,
    entityRef,
    users,
    client.account.uiBaseUrl,
  );
}
