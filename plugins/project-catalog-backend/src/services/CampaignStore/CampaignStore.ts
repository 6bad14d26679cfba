import { ConflictError, NotFoundError } from '@backstage/errors';
import {
  CampaignStatus,
  emptyCampaignCounts,
} from '@dash-suite/plugin-project-catalog-common';
import { Knex } from 'knex';
import { AuditLog, AuditRecord } from '../AuditLog/AuditLog';
import { guarded, isUniqueViolation } from '../../database/guarded';
import { campaignRow, toCampaign } from './rows';
import { CampaignFields, CampaignTally, StoredCampaign } from './types';

/** Thrown by a change whose expected version is not the stored one. */
export class CampaignVersionConflictError extends ConflictError {
  constructor(readonly current: StoredCampaign) {
    super(
      `Campaign ${current.id} was changed by ${current.updatedBy} at ${new Date(
        current.updatedMs,
      ).toISOString()} (version ${
        current.version
      }); reload and apply your change again`,
    );
  }
}

/** The tables a campaign's rows live in, deleted together with it. */
const CAMPAIGN_TABLES = [
  'pc_campaign_status',
  'pc_campaign_history',
  'pc_campaign_notifications',
];

/**
 * Campaign definitions (table `pc_campaigns`). Every write is one transaction with its audit
 * rows; a stale version is a {@link CampaignVersionConflictError}.
 */
export interface CampaignStore {
  list(): Promise<StoredCampaign[]>;
  get(id: string): Promise<StoredCampaign | undefined>;
  /** A ConflictError when the id is taken. */
  create(campaign: StoredCampaign, audit: AuditRecord[]): Promise<void>;
  update(
    id: string,
    expectedVersion: number,
    change: { fields: CampaignFields; actor: string; origin?: 'ui' | 'config' },
    audit: AuditRecord[],
  ): Promise<StoredCampaign>;
  /** Deletes the campaign with its statuses, history and notification records. */
  delete(
    id: string,
    expectedVersion: number,
    audit: AuditRecord[],
  ): Promise<void>;
  /** Counts per status and degraded entities, per campaign. */
  tallies(ids: string[]): Promise<Map<string, CampaignTally>>;
  /** Remembers that an evaluation failed as a whole (statuses are kept). */
  markEvaluationFailed(
    id: string,
    atMs: number,
    message: string,
  ): Promise<void>;
}

export class KnexCampaignStore implements CampaignStore {
  constructor(
    private readonly db: Knex,
    private readonly audit: AuditLog,
    private readonly clock: () => number = Date.now,
  ) {}

  list(): Promise<StoredCampaign[]> {
    return guarded(async () =>
      (await this.db('pc_campaigns').orderBy('deadline_ms').orderBy('id')).map(
        toCampaign,
      ),
    );
  }

  get(id: string): Promise<StoredCampaign | undefined> {
    return guarded(async () => {
      const row = await this.db('pc_campaigns').where('id', id).first();
      return row ? toCampaign(row) : undefined;
    });
  }

  create(campaign: StoredCampaign, audit: AuditRecord[]): Promise<void> {
    return guarded(() =>
      this.db.transaction(async trx => {
        try {
          await trx('pc_campaigns').insert(campaignRow(campaign));
        } catch (error) {
          if (isUniqueViolation(error)) {
            throw new ConflictError(
              `A campaign with id ${campaign.id} exists; choose another id`,
            );
          }
          throw error;
        }
        await this.audit.record(audit, trx);
      }),
    );
  }

  update(
    id: string,
    expectedVersion: number,
    change: { fields: CampaignFields; actor: string; origin?: 'ui' | 'config' },
    audit: AuditRecord[],
  ): Promise<StoredCampaign> {
    return guarded(() =>
      this.db.transaction(async trx => {
        const now = this.clock();
        const { fields } = change;
        // The version in the WHERE clause makes the check hold on SQLite too.
        const updated = await trx('pc_campaigns')
          .where({ id, version: expectedVersion })
          .update({
            title: fields.title,
            description: fields.description ?? null,
            owner: fields.owner,
            starts_ms: fields.startsMs,
            deadline_ms: fields.deadlineMs,
            scope: JSON.stringify(fields.scope),
            check_type: fields.check.type,
            check_config: JSON.stringify(fields.check.config),
            ...(change.origin ? { origin: change.origin } : {}),
            version: expectedVersion + 1,
            updated_by: change.actor,
            updated_ms: now,
          });
        const row = await trx('pc_campaigns').where('id', id).first();
        if (!row) throw new NotFoundError(`No campaign ${id}`);
        if (updated !== 1)
          throw new CampaignVersionConflictError(toCampaign(row));
        await this.audit.record(audit, trx);
        return toCampaign(row);
      }),
    );
  }

  delete(
    id: string,
    expectedVersion: number,
    audit: AuditRecord[],
  ): Promise<void> {
    return guarded(() =>
      this.db.transaction(async trx => {
        const deleted = await trx('pc_campaigns')
          .where({ id, version: expectedVersion })
          .delete();
        if (deleted !== 1) {
          const row = await trx('pc_campaigns').where('id', id).first();
          if (!row) throw new NotFoundError(`No campaign ${id}`);
          throw new CampaignVersionConflictError(toCampaign(row));
        }
        for (const table of CAMPAIGN_TABLES) {
          await trx(table).where('campaign_id', id).delete();
        }
        await this.audit.record(audit, trx);
      }),
    );
  }

  tallies(ids: string[]): Promise<Map<string, CampaignTally>> {
    return guarded(async () => {
      const result = new Map<string, CampaignTally>(
        ids.map(id => [id, { counts: emptyCampaignCounts(), degraded: {} }]),
      );
      if (!ids.length) return result;
      const byStatus = await this.db('pc_campaign_status')
        .whereIn('campaign_id', ids)
        .groupBy('campaign_id', 'status')
        .select('campaign_id', 'status')
        .count({ n: '*' });
      for (const r of byStatus as any[]) {
        const tally = result.get(r.campaign_id)!;
        tally.counts[r.status as CampaignStatus] = Number(r.n);
        tally.counts.total += Number(r.n);
      }
      const degraded = await this.db('pc_campaign_status')
        .whereIn('campaign_id', ids)
        .whereNotNull('degraded_reason')
        .groupBy('campaign_id', 'degraded_reason')
        .select('campaign_id', 'degraded_reason')
        .count({ n: '*' });
      for (const r of degraded as any[]) {
        result.get(r.campaign_id)!.degraded[
          r.degraded_reason as keyof CampaignTally['degraded']
        ] = Number(r.n);
      }
      return result;
    });
  }

  markEvaluationFailed(
    id: string,
    atMs: number,
    message: string,
  ): Promise<void> {
    return guarded(async () => {
      await this.db('pc_campaigns')
        .where('id', id)
        .update({
          evaluated_ms: atMs,
          evaluation_error: message.slice(0, 2000),
        });
    });
  }
}
