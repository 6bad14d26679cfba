import { LoggerService } from '@backstage/backend-plugin-api';
import { Entity } from '@backstage/catalog-model';
import {
  CampaignCheckOutcome,
  CampaignDegradedReason,
  CampaignManualStatus,
} from '@dash-suite/plugin-project-catalog-common';
import { z } from 'zod';

/**
 * What a check answers for one entity. `cursor` is stored with the entity's status and handed
 * back on the next evaluation (ETags, high-water marks); it is opaque to the evaluator.
 *
 * @public
 */
export interface CampaignCheckResult {
  status: CampaignCheckOutcome;
  /** What the check found, in words for the owners, e.g. `ci.yml uses node-version 18`. */
  detail?: string;
  /** At most 4000 characters; longer cursors are dropped. */
  cursor?: string;
}

/**
 * What the evaluator hands a check for one entity.
 *
 * @public
 */
export interface CampaignCheckContext<TConfig> {
  entity: Entity;
  /** `kind:namespace/name`, lower-case. */
  entityRef: string;
  /** The campaign's check settings, already parsed with the check type's `configSchema`. */
  config: TConfig;
  campaign: { id: string; title: string; startsAt: Date; deadline: Date };
  /** The status the owners set by hand, if any (the `manual` check type answers with it). */
  manual?: { status: CampaignManualStatus; note: string; by: string; at: Date };
  /** What this check answered last time for this entity, if anything. */
  previous?: { status: CampaignCheckOutcome; detail?: string; cursor?: string };
  /** Aborted when the evaluator gives up on the check (`projectCatalog.campaigns.checkTimeoutMs`). */
  signal: AbortSignal;
  logger: LoggerService;
}

/**
 * A kind of campaign check, registered by a backend module through
 * `projectCatalogCampaignChecksExtensionPoint`. The evaluator owns scheduling, concurrency,
 * timeouts, storage, history and notifications; a check only looks at one entity.
 *
 * - Return `done`, `failing`, `in-progress` or `pending` with a `detail` for the owners.
 * - Throw {@link CampaignCheckDegradedError} when the upstream could not answer (rate limited,
 *   unauthorized, timed out, unavailable): the entity keeps its last status and says why.
 * - Any other error makes the entity's status `error`, with the error's message.
 *
 * @public
 */
export interface CampaignCheckType<TConfig = any> {
  /** Stable id, lower-case letters, digits and dashes, e.g. `repository-file`. */
  readonly id: string;
  /** Human name, e.g. `File in the repository`. */
  readonly title: string;
  /** One or two sentences for the campaign form. */
  readonly description: string;
  /**
   * The check's settings. A campaign's `check.config` is parsed with it when the campaign is
   * written (a 400 names the bad setting) and before every evaluation. It is also served as JSON
   * schema so that the UI can build its form.
   */
  readonly configSchema: z.ZodType<TConfig>;
  evaluate(
    context: CampaignCheckContext<TConfig>,
  ): Promise<CampaignCheckResult>;
}

/**
 * Throw from a check to say that its upstream could not answer this time. The evaluator keeps
 * the entity's last status, marks it degraded with `reason` and the message, and (for
 * `rate-limited` and `unauthorized`) stops calling the check for the rest of the run.
 *
 * @public
 */
export class CampaignCheckDegradedError extends Error {
  readonly reason: CampaignDegradedReason;
  /** For `rate-limited`: how long the upstream asked us to wait. */
  readonly retryAfterMs?: number;

  constructor(
    reason: CampaignDegradedReason,
    message: string,
    options?: { retryAfterMs?: number; cause?: unknown },
  ) {
    super(message, { cause: options?.cause });
    this.name = 'CampaignCheckDegradedError';
    this.reason = reason;
    this.retryAfterMs = options?.retryAfterMs;
  }

  /** Recognises the error also when it comes from another copy of this package. */
  static isDegradedError(e: unknown): e is CampaignCheckDegradedError {
    return (
      e instanceof Error &&
      e.name === 'CampaignCheckDegradedError' &&
      typeof (e as { reason?: unknown }).reason === 'string'
    );
  }
}

/**
 * Ids of check types: lower-case letters, digits and dashes.
 *
 * @public
 */
export const CAMPAIGN_CHECK_TYPE_ID = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
