import { AuthService, LoggerService } from '@backstage/backend-plugin-api';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  CampaignCounts,
  emptyCampaignCounts,
} from '@dash-suite/plugin-project-catalog-common';
import { CampaignCheckDegradedError } from '@dash-suite/plugin-project-catalog-node';
import { CampaignCheckRegistry } from '../CampaignChecks/CheckRegistry';
import { CampaignStatusStore } from '../CampaignStore/CampaignStatusStore';
import { CampaignStore } from '../CampaignStore/CampaignStore';
import {
  HistoryRow,
  StoredCampaign,
  StoredStatus,
} from '../CampaignStore/types';
import { CampaignNotifier } from './CampaignNotifier';
import { checkEntity } from './EntityCheck';
import { matchesScope, scopeFilter } from './scope';

/** What one evaluation of a campaign did. */
export interface EvaluationSummary {
  campaignId: string;
  evaluatedAt: string;
  counts: CampaignCounts;
  /** Entities whose check could not answer, by reason. */
  degraded: Record<string, number>;
  /** Notifications sent (one per group of owners and kind). */
  notificationsSent: number;
}

const PAGE = 500;

/** `YYYY-MM-DD` of a time, UTC. */
export const utcDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);

function tally(statuses: StoredStatus[]): HistoryRow['counts'] {
  const counts = emptyCampaignCounts();
  for (const s of statuses) {
    counts[s.status]++;
    counts.total++;
  }
  return counts;
}

/**
 * Evaluates campaigns: reads the entities in scope from the catalog, checks each (bounded
 * concurrency, a timeout per check), stores every status with the day's history (whole campaign
 * and per owner team) in one transaction, and tells owners what changed. A check whose upstream
 * refused (rate limited, unauthorized) is not called again in the same run: the remaining
 * entities keep their last status and say why.
 */
export class CampaignEvaluator {
  private readonly running = new Map<string, Promise<EvaluationSummary>>();

  constructor(
    private readonly deps: {
      campaigns: CampaignStore;
      statuses: CampaignStatusStore;
      checks: CampaignCheckRegistry;
      catalog: CatalogService;
      auth: AuthService;
      notifier: CampaignNotifier;
      logger: LoggerService;
      concurrency: number;
      checkTimeoutMs: number;
      clock?: () => number;
    },
  ) {}

  /** Every campaign, one after the other; a campaign that fails does not stop the others. */
  async evaluateAll(): Promise<EvaluationSummary[]> {
    const summaries: EvaluationSummary[] = [];
    for (const campaign of await this.deps.campaigns.list()) {
      try {
        summaries.push(await this.evaluate(campaign.id));
      } catch (error) {
        this.deps.logger.warn(
          `Campaign ${campaign.id} was not evaluated: ${error}`,
        );
      }
    }
    return summaries;
  }

  /** One campaign; a second call while one runs waits for the same run. */
  evaluate(campaignId: string): Promise<EvaluationSummary> {
    const current = this.running.get(campaignId);
    if (current) return current;
    const run = this.run(campaignId).finally(() =>
      this.running.delete(campaignId),
    );
    this.running.set(campaignId, run);
    return run;
  }

  private async run(campaignId: string): Promise<EvaluationSummary> {
    const { campaigns, statuses, checks, logger } = this.deps;
    const nowMs = (this.deps.clock ?? Date.now)();
    const campaign = await campaigns.get(campaignId);
    if (!campaign) throw new Error(`No campaign ${campaignId}`);
    const fail = async (message: string) => {
      await campaigns.markEvaluationFailed(campaign.id, nowMs, message);
      throw new Error(message);
    };
    const type = checks.get(campaign.check.type);
    if (!type) {
      return fail(
        `Check type '${campaign.check.type}' is not installed in this backend`,
      );
    }
    const parsed = type.configSchema.safeParse(campaign.check.config);
    if (!parsed.success) {
      return fail(`The check's settings are invalid: ${parsed.error.message}`);
    }
    let entities: Map<string, Entity>;
    try {
      entities = await this.entitiesInScope(campaign);
    } catch (error) {
      return fail(`The catalog could not be read: ${error}`);
    }
    const previous = new Map(
      (await statuses.list(campaign.id)).map(s => [s.entityRef, s]),
    );

    let tripped: CampaignCheckDegradedError | undefined;
    const degraded: Record<string, number> = {};
    const next: StoredStatus[] = [];
    const queue = [...entities.entries()];
    const worker = async () => {
      for (let item = queue.shift(); item; item = queue.shift()) {
        const [entityRef, entity] = item;
        const result = await checkEntity({
          campaign,
          type,
          config: parsed.data,
          entity,
          entityRef,
          previous: previous.get(entityRef),
          timeoutMs: this.deps.checkTimeoutMs,
          nowMs,
          logger,
          skip: tripped,
        });
        if (result.degraded) {
          degraded[result.degraded.reason] =
            (degraded[result.degraded.reason] ?? 0) + 1;
          if (
            result.degraded.reason === 'rate-limited' ||
            result.degraded.reason === 'unauthorized'
          ) {
            tripped ??= result.degraded;
          }
        }
        next.push(result.status);
      }
    };
    await Promise.all(
      Array.from(
        { length: Math.min(this.deps.concurrency, queue.length) },
        worker,
      ),
    );
    next.sort((a, b) => a.entityRef.localeCompare(b.entityRef));

    const teams = new Map<string, StoredStatus[]>();
    for (const s of next) {
      if (s.owner) teams.set(s.owner, [...(teams.get(s.owner) ?? []), s]);
    }
    const day = utcDay(nowMs);
    const history: HistoryRow[] = [
      { day, team: '', counts: tally(next) },
      ...[...teams.entries()].map(([team, list]) => ({
        day,
        team,
        counts: tally(list),
      })),
    ];
    await statuses.saveEvaluation({
      campaignId: campaign.id,
      upserts: next,
      removed: [...previous.keys()].filter(ref => !entities.has(ref)),
      day,
      history,
      evaluatedMs: nowMs,
    });
    if (tripped) {
      logger.warn(
        `Campaign ${campaign.id}: ${tripped.reason}, last results kept: ${tripped.message}`,
      );
    }

    let notificationsSent = 0;
    try {
      notificationsSent = await this.deps.notifier.notify(
        campaign,
        entities,
        previous,
        next,
        nowMs,
      );
    } catch (error) {
      logger.warn(
        `Campaign ${campaign.id}: owners could not be notified: ${error}`,
      );
    }
    return {
      campaignId: campaign.id,
      evaluatedAt: new Date(nowMs).toISOString(),
      counts: history[0].counts,
      degraded,
      notificationsSent,
    };
  }

  /** The entities in the campaign's scope, by lower-case ref, read a page at a time. */
  private async entitiesInScope(
    campaign: StoredCampaign,
  ): Promise<Map<string, Entity>> {
    const credentials = await this.deps.auth.getOwnServiceCredentials();
    const result = new Map<string, Entity>();
    for (let offset = 0; ; offset += PAGE) {
      const { items } = await this.deps.catalog.getEntities(
        {
          filter: scopeFilter(campaign.scope),
          order: [
            { field: 'kind', order: 'asc' },
            { field: 'metadata.namespace', order: 'asc' },
            { field: 'metadata.name', order: 'asc' },
          ],
          offset,
          limit: PAGE,
        },
        { credentials },
      );
      for (const entity of items) {
        if (!matchesScope(entity, campaign.scope)) continue;
        result.set(
          stringifyEntityRef(entity).toLocaleLowerCase('en-US'),
          entity,
        );
      }
      if (items.length < PAGE) return result;
    }
  }
}
