import { Knex } from 'knex';
import { AuditLog, AuditRecord } from '../AuditLog/AuditLog';
import { guarded, isUniqueViolation } from '../../database/guarded';
import {
  EVALUATOR_COLUMNS,
  historyRow,
  statusRow,
  toHistory,
  toStatus,
} from './rows';
import {
  EvaluationWrite,
  HistoryRow,
  NotificationClaim,
  StatusQuery,
  StoredStatus,
} from './types';

/** Rows per insert statement: well below the bound-parameter limits of SQLite and PostgreSQL. */
const CHUNK = 100;

function chunks<T>(items: T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += CHUNK)
    out.push(items.slice(i, i + CHUNK));
  return out;
}

/**
 * Where entities stand in campaigns (`pc_campaign_status`), the daily history of the burn-up
 * (`pc_campaign_history`) and the notifications already sent (`pc_campaign_notifications`).
 */
export interface CampaignStatusStore {
  /** Every status of a campaign. */
  list(campaignId: string): Promise<StoredStatus[]>;
  /** A page, ordered by entity ref; `hasMore` when another page follows. */
  query(
    campaignId: string,
    query: StatusQuery,
  ): Promise<{ items: StoredStatus[]; hasMore: boolean }>;
  get(campaignId: string, entityRef: string): Promise<StoredStatus | undefined>;
  /** The entity's status in every campaign that covers it. */
  ofEntity(entityRef: string): Promise<StoredStatus[]>;
  /** One evaluation: statuses, removals, the day's history and the campaign's time, together. */
  saveEvaluation(write: EvaluationWrite): Promise<void>;
  /**
   * Changes one status as a person asks (owners' note, exemption): `change` gets the stored
   * status and returns the new one; written with its audit rows in one transaction.
   */
  change(
    campaignId: string,
    entityRef: string,
    change: (current: StoredStatus | undefined) => StoredStatus,
    audit: (
      current: StoredStatus | undefined,
      next: StoredStatus,
    ) => AuditRecord[],
  ): Promise<StoredStatus>;
  history(
    campaignId: string,
    query: {
      team?: string;
      byTeam?: boolean;
      fromDay?: string;
      toDay?: string;
    },
  ): Promise<HistoryRow[]>;
  /** Keys (`entityRef|kind|key`) of the notifications already sent for a campaign. */
  sentNotifications(campaignId: string): Promise<Set<string>>;
  /** Records a notification as sent; false when another run recorded it first. */
  claimNotification(claim: NotificationClaim, atMs: number): Promise<boolean>;
  /** Forgets claims whose notification could not be sent, so that the next run tries again. */
  releaseNotifications(claims: NotificationClaim[]): Promise<void>;
}

export const notificationKey = (c: Omit<NotificationClaim, 'campaignId'>) =>
  `${c.entityRef}|${c.kind}|${c.key}`;

export class KnexCampaignStatusStore implements CampaignStatusStore {
  constructor(private readonly db: Knex, private readonly audit: AuditLog) {}

  list(campaignId: string): Promise<StoredStatus[]> {
    return guarded(async () =>
      (
        await this.db('pc_campaign_status')
          .where('campaign_id', campaignId)
          .orderBy('entity_ref')
      ).map(toStatus),
    );
  }

  query(
    campaignId: string,
    q: StatusQuery,
  ): Promise<{ items: StoredStatus[]; hasMore: boolean }> {
    return guarded(async () => {
      const rows = await this.db('pc_campaign_status')
        .where('campaign_id', campaignId)
        .modify(b => {
          if (q.status?.length) b.whereIn('status', q.status);
          if (q.owner) b.where('owner', q.owner);
          if (q.after) b.where('entity_ref', '>', q.after);
        })
        .orderBy('entity_ref')
        .limit(q.limit + 1);
      return {
        items: rows.slice(0, q.limit).map(toStatus),
        hasMore: rows.length > q.limit,
      };
    });
  }

  get(
    campaignId: string,
    entityRef: string,
  ): Promise<StoredStatus | undefined> {
    return guarded(async () => {
      const row = await this.db('pc_campaign_status')
        .where({ campaign_id: campaignId, entity_ref: entityRef })
        .first();
      return row ? toStatus(row) : undefined;
    });
  }

  ofEntity(entityRef: string): Promise<StoredStatus[]> {
    return guarded(async () =>
      (
        await this.db('pc_campaign_status')
          .where('entity_ref', entityRef)
          .orderBy('campaign_id')
      ).map(toStatus),
    );
  }

  saveEvaluation(write: EvaluationWrite): Promise<void> {
    return guarded(() =>
      this.db.transaction(async trx => {
        for (const chunk of chunks(write.upserts)) {
          await trx('pc_campaign_status')
            .insert(chunk.map(statusRow))
            .onConflict(['campaign_id', 'entity_ref'])
            .merge([...EVALUATOR_COLUMNS]);
        }
        for (const chunk of chunks(write.removed)) {
          await trx('pc_campaign_status')
            .where('campaign_id', write.campaignId)
            .whereIn('entity_ref', chunk)
            .delete();
        }
        await trx('pc_campaign_history')
          .where({ campaign_id: write.campaignId, day: write.day })
          .delete();
        for (const chunk of chunks(write.history)) {
          await trx('pc_campaign_history').insert(
            chunk.map(h => historyRow(write.campaignId, h)),
          );
        }
        await trx('pc_campaigns')
          .where('id', write.campaignId)
          .update({ evaluated_ms: write.evaluatedMs, evaluation_error: null });
      }),
    );
  }

  change(
    campaignId: string,
    entityRef: string,
    change: (current: StoredStatus | undefined) => StoredStatus,
    audit: (
      current: StoredStatus | undefined,
      next: StoredStatus,
    ) => AuditRecord[],
  ): Promise<StoredStatus> {
    return guarded(() =>
      this.db.transaction(async trx => {
        const row = await trx('pc_campaign_status')
          .where({ campaign_id: campaignId, entity_ref: entityRef })
          .forUpdate()
          .first();
        const current = row ? toStatus(row) : undefined;
        const next = change(current);
        await trx('pc_campaign_status')
          .insert(statusRow(next))
          .onConflict(['campaign_id', 'entity_ref'])
          .merge();
        await this.audit.record(audit(current, next), trx);
        return next;
      }),
    );
  }

  history(
    campaignId: string,
    q: { team?: string; byTeam?: boolean; fromDay?: string; toDay?: string },
  ): Promise<HistoryRow[]> {
    return guarded(async () =>
      (
        await this.db('pc_campaign_history')
          .where('campaign_id', campaignId)
          .modify(b => {
            if (q.team !== undefined) b.where('team', q.team);
            else if (!q.byTeam) b.where('team', '');
            if (q.fromDay) b.where('day', '>=', q.fromDay);
            if (q.toDay) b.where('day', '<=', q.toDay);
          })
          .orderBy('day')
          .orderBy('team')
      ).map(toHistory),
    );
  }

  sentNotifications(campaignId: string): Promise<Set<string>> {
    return guarded(async () => {
      const rows = await this.db('pc_campaign_notifications').where(
        'campaign_id',
        campaignId,
      );
      return new Set(
        rows.map((r: any) =>
          notificationKey({
            entityRef: r.entity_ref,
            kind: r.kind,
            key: r.key,
          }),
        ),
      );
    });
  }

  claimNotification(claim: NotificationClaim, atMs: number): Promise<boolean> {
    return guarded(async () => {
      try {
        // One statement outside any transaction: a unique violation only fails this insert.
        await this.db('pc_campaign_notifications').insert({
          campaign_id: claim.campaignId,
          entity_ref: claim.entityRef,
          kind: claim.kind,
          key: claim.key,
          sent_ms: atMs,
        });
        return true;
      } catch (error) {
        if (isUniqueViolation(error)) return false;
        throw error;
      }
    });
  }

  releaseNotifications(claims: NotificationClaim[]): Promise<void> {
    return guarded(async () => {
      for (const c of claims) {
        await this.db('pc_campaign_notifications')
          .where({
            campaign_id: c.campaignId,
            entity_ref: c.entityRef,
            kind: c.kind,
            key: c.key,
          })
          .delete();
      }
    });
  }
}
