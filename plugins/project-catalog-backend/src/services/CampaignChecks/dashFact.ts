import { ResponseError } from '@backstage/errors';
import {
  ANNOTATION_PAGERDUTY_SERVICE_ID,
  DashApi,
  DashSourceState,
} from '@dash-suite/plugin-dash-common';
import {
  CampaignCheckContext,
  CampaignCheckDegradedError,
  CampaignCheckResult,
  CampaignCheckType,
} from '@dash-suite/plugin-project-catalog-node';
import { z } from 'zod';

const DAY = 86_400_000;

const configSchema = z.discriminatedUnion('fact', [
  z
    .object({
      fact: z.literal('deployedWithinDays'),
      /** Done when a deploy started within this many days. */
      days: z.number().int().min(1).max(365),
      /** Only deploys to this environment count (e.g. `production`). */
      environment: z.string().min(1).max(63).optional(),
    })
    .strict(),
  z.object({ fact: z.literal('hasPagerDutyService') }).strict(),
]);

export type DashFactConfig = z.infer<typeof configSchema>;

/** DASH source statuses that mean "could not look", with the reason the campaign shows. */
const DEGRADED = {
  'rate-limited': 'rate-limited',
  unauthorized: 'unauthorized',
  'timed-out': 'timed-out',
  error: 'unavailable',
} as const;

/** Sources that are never called for the entity: not configured, or outside an allow-list. */
const UNUSABLE: ReadonlyArray<string> = ['not-configured', 'not-allowed'];

function degradedSource(
  sources: DashSourceState[],
): DashSourceState | undefined {
  return sources.find(s => s.status in DEGRADED);
}

function degradedError(source: DashSourceState): CampaignCheckDegradedError {
  return new CampaignCheckDegradedError(
    DEGRADED[source.status as keyof typeof DEGRADED],
    `DASH ${source.title}: ${source.message ?? source.status}`,
  );
}

/** A failed call to the DASH backend, as a degraded answer or an error. */
function translate(e: unknown): Error {
  if (e instanceof ResponseError || (e as Error)?.name === 'ResponseError') {
    const status = (e as ResponseError).response.status;
    if (status === 401 || status === 403) {
      return new CampaignCheckDegradedError(
        'unauthorized',
        `The DASH backend refused the request (${status})`,
        { cause: e },
      );
    }
    if (status === 429) {
      return new CampaignCheckDegradedError(
        'rate-limited',
        'The DASH backend said 429',
        {
          cause: e,
        },
      );
    }
    if (status >= 500) {
      return new CampaignCheckDegradedError(
        'unavailable',
        `The DASH backend answered ${status}`,
        { cause: e },
      );
    }
    return e as Error;
  }
  if ((e as Error)?.name === 'AbortError') {
    return new CampaignCheckDegradedError(
      'timed-out',
      'The DASH backend did not answer in time',
    );
  }
  return new CampaignCheckDegradedError(
    'unavailable',
    `The DASH backend could not be reached: ${(e as Error)?.message ?? e}`,
    { cause: e },
  );
}

async function deployedWithin(
  dash: DashApi,
  ctx: CampaignCheckContext<DashFactConfig & { fact: 'deployedWithinDays' }>,
): Promise<CampaignCheckResult> {
  const { days, environment } = ctx.config;
  const to = new Date();
  const answer = await dash
    .getDeploys({
      entityRef: ctx.entityRef,
      from: new Date(to.getTime() - days * DAY),
      to,
    })
    .catch(e => {
      throw translate(e);
    });
  const deploys = answer.deploys
    .filter(d => !environment || d.attributes?.environment === environment)
    .sort((a, b) => b.startTime.localeCompare(a.startTime));
  const where = environment ? ` to ${environment}` : '';
  if (deploys.length) {
    return {
      status: 'done',
      detail: `Last deploy${where} ${deploys[0].startTime} (${deploys[0].title})`,
    };
  }
  const degraded = degradedSource(answer.sources);
  if (degraded) throw degradedError(degraded);
  if (!answer.sources.some(s => !UNUSABLE.includes(s.status))) {
    return {
      status: 'failing',
      detail: 'No DASH source reports deploys for this entity',
    };
  }
  return {
    status: 'failing',
    detail: `No deploy${where} in the last ${days} days`,
  };
}

async function hasPagerDutyService(
  dash: DashApi,
  ctx: CampaignCheckContext<DashFactConfig>,
): Promise<CampaignCheckResult> {
  const id = ctx.entity.metadata.annotations?.[ANNOTATION_PAGERDUTY_SERVICE_ID];
  if (!id) {
    return {
      status: 'failing',
      detail: `No ${ANNOTATION_PAGERDUTY_SERVICE_ID} annotation`,
    };
  }
  const answer = await dash.getOnCall(ctx.entityRef).catch(e => {
    throw translate(e);
  });
  const source = answer.sources.find(s => s.id === 'pagerduty');
  if (!source) {
    return {
      status: 'failing',
      detail: `DASH has no PagerDuty source for service ${id}`,
    };
  }
  if (source.status in DEGRADED) throw degradedError(source);
  if (UNUSABLE.includes(source.status)) {
    return {
      status: 'failing',
      detail: `PagerDuty service ${id}: ${source.message ?? source.status}`,
    };
  }
  const onCall = answer.onCall.find(o => o.source === 'pagerduty');
  return {
    status: 'done',
    detail: `PagerDuty service ${id}${
      onCall ? `, on call now: ${onCall.user.name}` : ''
    }`,
  };
}

/**
 * A fact DASH knows about the entity: `deployedWithinDays` (from `/deploys`) or
 * `hasPagerDutyService` (the annotation, confirmed by DASH's PagerDuty source).
 */
export function dashFactCheck(
  dash: DashApi,
): CampaignCheckType<DashFactConfig> {
  return {
    id: 'dash-fact',
    title: 'DASH fact',
    description:
      'Done when DASH knows a fact about the entity: deployed within the last N days, or has a PagerDuty service.',
    configSchema,
    async evaluate(ctx) {
      if (ctx.config.fact === 'deployedWithinDays') {
        return deployedWithin(
          dash,
          ctx as CampaignCheckContext<
            DashFactConfig & { fact: 'deployedWithinDays' }
          >,
        );
      }
      return hasPagerDutyService(dash, ctx);
    },
  };
}
