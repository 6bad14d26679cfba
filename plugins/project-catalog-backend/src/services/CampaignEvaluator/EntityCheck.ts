import { LoggerService } from '@backstage/backend-plugin-api';
import { Entity } from '@backstage/catalog-model';
import {
  CAMPAIGN_CHECK_OUTCOMES,
  CampaignCheckOutcome,
} from '@dash-suite/plugin-project-catalog-common';
import {
  CampaignCheckDegradedError,
  CampaignCheckType,
} from '@dash-suite/plugin-project-catalog-node';
import { StoredCampaign, StoredStatus } from '../CampaignStore/types';
import { ownerRefs } from './scope';
import { withResolvedStatus } from './statusRules';

/** Longest cursor kept; a check that returns more gets none back. */
const LONGEST_CURSOR = 4000;
const LONGEST_DETAIL = 2000;

const clip = (s: string | undefined) =>
  s === undefined || s.length <= LONGEST_DETAIL
    ? s
    : `${s.slice(0, LONGEST_DETAIL - 3)}...`;

/**
 * Runs one check on one entity and turns the answer into the entity's stored status: a result,
 * an error (status `error` with the message), or a degraded answer (the last status is kept,
 * with why). `skip` stands in for a check that is not called this run (its upstream already
 * refused: rate limited or unauthorized).
 */
export async function checkEntity(args: {
  campaign: StoredCampaign;
  type: CampaignCheckType;
  config: unknown;
  entity: Entity;
  entityRef: string;
  previous?: StoredStatus;
  timeoutMs: number;
  nowMs: number;
  logger: LoggerService;
  skip?: CampaignCheckDegradedError;
}): Promise<{ status: StoredStatus; degraded?: CampaignCheckDegradedError }> {
  const { campaign, previous, entityRef, nowMs } = args;
  const base = {
    campaignId: campaign.id,
    entityRef,
    owner: ownerRefs(args.entity)[0],
    ...(previous?.manual ? { manual: previous.manual } : {}),
    ...(previous?.exemption ? { exemption: previous.exemption } : {}),
  };
  const previousOutcome =
    previous?.checkStatus && previous.checkStatus !== 'error'
      ? {
          status: previous.checkStatus as CampaignCheckOutcome,
          ...(previous.checkDetail !== undefined
            ? { detail: previous.checkDetail }
            : {}),
          ...(previous.cursor !== undefined ? { cursor: previous.cursor } : {}),
        }
      : undefined;

  const degraded = (e: CampaignCheckDegradedError) => ({
    status: withResolvedStatus(
      previous,
      {
        ...base,
        checkStatus: previous?.checkStatus,
        checkDetail: previous?.checkDetail,
        cursor: previous?.cursor,
        evaluatedMs: previous?.evaluatedMs,
        degraded: {
          reason: e.reason,
          message: clip(e.message) ?? e.reason,
          sinceMs: previous?.degraded?.sinceMs ?? nowMs,
        },
      },
      nowMs,
    ),
    degraded: e,
  });
  if (args.skip) return degraded(args.skip);

  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      controller.abort();
      reject(
        new CampaignCheckDegradedError(
          'timed-out',
          `The ${args.type.title} check did not answer within ${Math.round(
            args.timeoutMs / 1000,
          )} s`,
        ),
      );
    }, args.timeoutMs);
  });
  try {
    const result = await Promise.race([
      args.type.evaluate({
        entity: args.entity,
        entityRef,
        config: args.config,
        campaign: {
          id: campaign.id,
          title: campaign.title,
          startsAt: new Date(campaign.startsMs),
          deadline: new Date(campaign.deadlineMs),
        },
        ...(previous?.manual
          ? {
              manual: {
                ...previous.manual,
                at: new Date(previous.manual.atMs),
              },
            }
          : {}),
        ...(previousOutcome ? { previous: previousOutcome } : {}),
        signal: controller.signal,
        logger: args.logger,
      }),
      timeout,
    ]);
    if (!CAMPAIGN_CHECK_OUTCOMES.includes(result?.status)) {
      throw new Error(
        `The ${args.type.id} check answered '${String(
          result?.status,
        )}', not one of ${CAMPAIGN_CHECK_OUTCOMES.join(', ')}`,
      );
    }
    const cursor =
      result.cursor && result.cursor.length <= LONGEST_CURSOR
        ? result.cursor
        : undefined;
    return {
      status: withResolvedStatus(
        previous,
        {
          ...base,
          checkStatus: result.status,
          ...(result.detail !== undefined
            ? { checkDetail: clip(result.detail) }
            : {}),
          ...(cursor ? { cursor } : {}),
          evaluatedMs: nowMs,
        },
        nowMs,
      ),
    };
  } catch (error) {
    if (CampaignCheckDegradedError.isDegradedError(error))
      return degraded(error);
    const message = error instanceof Error ? error.message : String(error);
    return {
      status: withResolvedStatus(
        previous,
        {
          ...base,
          checkStatus: 'error',
          checkDetail: clip(message),
          evaluatedMs: nowMs,
        },
        nowMs,
      ),
    };
  } finally {
    clearTimeout(timer);
  }
}
