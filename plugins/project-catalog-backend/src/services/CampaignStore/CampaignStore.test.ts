import { TestDatabases } from '@backstage/backend-test-utils';
import { emptyCampaignCounts } from '@dash-suite/plugin-project-catalog-common';
import { Knex } from 'knex';
import { migrateClient, rollbackClient } from '../../database/migrations';
import { AuditLog, KnexAuditLog } from '../AuditLog/AuditLog';
import { KnexCampaignStatusStore } from './CampaignStatusStore';
import {
  CampaignVersionConflictError,
  KnexCampaignStore,
} from './CampaignStore';
import { StoredCampaign, StoredStatus } from './types';

jest.setTimeout(60_000);

const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });

const T = Date.parse('2026-12-01T10:00:00Z');
const A = 'component:default/a';
const B = 'component:default/b';
const C = 'component:default/c';
const PAYMENTS = 'group:default/team-payments';

function campaign(
  id: string,
  partial: Partial<StoredCampaign> = {},
): StoredCampaign {
  return {
    id,
    title: `Campaign ${id}`,
    owner: 'group:default/team-sre',
    startsMs: T,
    deadlineMs: T + 30 * 86_400_000,
    scope: { kind: ['component'] },
    check: {
      type: 'entity-field',
      config: { annotation: 'pagerduty.com/service-id' },
    },
    origin: 'ui',
    version: 1,
    createdBy: 'user:default/amara',
    createdMs: T,
    updatedBy: 'user:default/amara',
    updatedMs: T,
    ...partial,
  };
}

function status(
  entityRef: string,
  partial: Partial<StoredStatus> = {},
): StoredStatus {
  return {
    campaignId: 'pd',
    entityRef,
    owner: PAYMENTS,
    status: 'failing',
    detail: 'annotation pagerduty.com/service-id is not set',
    checkStatus: 'failing',
    checkDetail: 'annotation pagerduty.com/service-id is not set',
    evaluatedMs: T,
    changedMs: T,
    ...partial,
  };
}

const audit = (action: string) => [
  {
    actor: 'user:default/amara',
    action,
    field: 'campaign:pd',
    outcome: 'succeeded' as const,
  },
];

describe.each(databases.eachSupportedId())(
  'Campaign stores on %p',
  databaseId => {
    let knex: Knex;
    let auditLog: KnexAuditLog;
    let store: KnexCampaignStore;
    let statuses: KnexCampaignStatusStore;

    beforeAll(async () => {
      knex = await databases.init(databaseId);
      await migrateClient(knex);
      auditLog = new KnexAuditLog(knex);
      store = new KnexCampaignStore(knex, auditLog, () => T + 1000);
      statuses = new KnexCampaignStatusStore(knex, auditLog);
    });

    it('creates, reads and lists campaigns; a taken id is a conflict; each write has its audit row', async () => {
      await store.create(
        campaign('pd', { description: 'PagerDuty everywhere' }),
        audit('campaign.create'),
      );
      await store.create(
        campaign('node', { deadlineMs: T + 86_400_000 }),
        audit('campaign.create'),
      );
      await expect(
        store.create(campaign('pd'), audit('campaign.create')),
      ).rejects.toMatchObject({
        name: 'ConflictError',
      });
      expect(await store.get('pd')).toEqual(
        campaign('pd', { description: 'PagerDuty everywhere' }),
      );
      expect((await store.list()).map(c => c.id)).toEqual(['node', 'pd']);
      expect(await store.get('nope')).toBeUndefined();
      const { entries } = await auditLog.query({
        action: 'campaign.create',
        limit: 10,
      });
      expect(entries).toHaveLength(2);
    });

    it('updates with the version read; a stale version is a conflict carrying the campaign as it is', async () => {
      const current = (await store.get('pd'))!;
      const fields = {
        ...current,
        title: 'Every service declares its PagerDuty service',
      };
      const updated = await store.update(
        'pd',
        1,
        { fields, actor: 'user:default/jonas' },
        audit('campaign.update'),
      );
      expect(updated).toMatchObject({
        version: 2,
        title: fields.title,
        updatedBy: 'user:default/jonas',
      });
      const stale = store.update(
        'pd',
        1,
        { fields, actor: 'user:default/mei' },
        audit('campaign.update'),
      );
      await expect(stale).rejects.toBeInstanceOf(CampaignVersionConflictError);
      await expect(stale).rejects.toMatchObject({
        current: { version: 2, updatedBy: 'user:default/jonas' },
      });
      await expect(
        store.update('nope', 1, { fields, actor: 'x' }, []),
      ).rejects.toMatchObject({ name: 'NotFoundError' });
    });

    it('writes nothing when the audit row cannot be written (one transaction, a 503)', async () => {
      const failing: AuditLog = {
        ...auditLog,
        record: async () => {
          throw new Error('disk full');
        },
        query: q => auditLog.query(q),
        deleteOlderThan: t => auditLog.deleteOlderThan(t),
      };
      const broken = new KnexCampaignStore(knex, failing);
      await expect(
        broken.create(campaign('half'), audit('campaign.create')),
      ).rejects.toMatchObject({
        name: 'ServiceUnavailableError',
      });
      expect(await store.get('half')).toBeUndefined();
      const before = (await store.get('pd'))!;
      await expect(
        broken.update(
          'pd',
          before.version,
          { fields: { ...before, title: 'x' }, actor: 'x' },
          [],
        ),
      ).rejects.toMatchObject({ name: 'ServiceUnavailableError' });
      expect((await store.get('pd'))!.title).toBe(before.title);
    });

    it('saves an evaluation: statuses, removals, the day of history, and the campaign time; keeps people-set columns', async () => {
      await statuses.saveEvaluation({
        campaignId: 'pd',
        upserts: [
          status(A),
          status(B, { status: 'done', checkStatus: 'done', doneSinceMs: T }),
          status(C),
        ],
        removed: [],
        day: '2026-12-01',
        history: [
          {
            day: '2026-12-01',
            team: '',
            counts: { ...emptyCampaignCounts(), failing: 2, done: 1, total: 3 },
          },
          {
            day: '2026-12-01',
            team: PAYMENTS,
            counts: { ...emptyCampaignCounts(), failing: 2, done: 1, total: 3 },
          },
        ],
        evaluatedMs: T,
      });
      await statuses.change(
        'pd',
        A,
        current => ({
          ...current!,
          status: 'in-progress',
          manual: {
            status: 'in-progress',
            note: 'PR #12',
            by: 'user:default/amara',
            atMs: T,
          },
        }),
        (before, after) => [
          {
            actor: 'user:default/amara',
            action: 'campaign.status',
            entityRef: A,
            before: before?.status,
            after: after.status,
            outcome: 'succeeded',
          },
        ],
      );
      // The next evaluation does not know about the note; it must not wipe it.
      await statuses.saveEvaluation({
        campaignId: 'pd',
        upserts: [
          status(A, { evaluatedMs: T + 1 }),
          status(B, { status: 'done', checkStatus: 'done', doneSinceMs: T }),
        ],
        removed: [C],
        day: '2026-12-01',
        history: [
          {
            day: '2026-12-01',
            team: '',
            counts: { ...emptyCampaignCounts(), failing: 1, done: 1, total: 2 },
          },
        ],
        evaluatedMs: T + 1,
      });
      const all = await statuses.list('pd');
      expect(all.map(s => s.entityRef)).toEqual([A, B]);
      expect(all[0].manual).toEqual({
        status: 'in-progress',
        note: 'PR #12',
        by: 'user:default/amara',
        atMs: T,
      });
      expect(all[1]).toEqual(
        status(B, { status: 'done', checkStatus: 'done', doneSinceMs: T }),
      );
      expect((await store.get('pd'))!.evaluatedMs).toBe(T + 1);
      // The day's history was replaced, team rows included.
      expect(await statuses.history('pd', { byTeam: true })).toEqual([
        {
          day: '2026-12-01',
          team: '',
          counts: { ...emptyCampaignCounts(), failing: 1, done: 1, total: 2 },
        },
      ]);
      expect(
        (await auditLog.query({ action: 'campaign.status', limit: 5 })).entries,
      ).toHaveLength(1);
      const tallies = await store.tallies(['pd', 'node']);
      expect(tallies.get('pd')!.counts).toMatchObject({
        failing: 1,
        done: 1,
        total: 2,
      });
      expect(tallies.get('node')!.counts.total).toBe(0);
    });

    it('pages statuses by entity ref with status and owner filters', async () => {
      await statuses.saveEvaluation({
        campaignId: 'node',
        upserts: ['a', 'b', 'c', 'd', 'e'].map((n, i) =>
          status(`component:default/${n}`, {
            campaignId: 'node',
            status: i % 2 ? 'done' : 'failing',
            owner: i < 3 ? PAYMENTS : 'group:default/team-sre',
            degraded:
              i === 4
                ? {
                    reason: 'rate-limited',
                    message: 'GitHub said 403',
                    sinceMs: T,
                  }
                : undefined,
          }),
        ),
        removed: [],
        day: '2026-12-01',
        history: [],
        evaluatedMs: T,
      });
      const first = await statuses.query('node', { limit: 2 });
      expect(first.items.map(s => s.entityRef)).toEqual([A, B]);
      expect(first.hasMore).toBe(true);
      const rest = await statuses.query('node', { limit: 10, after: B });
      expect(rest.items.map(s => s.entityRef)).toEqual([
        C,
        'component:default/d',
        'component:default/e',
      ]);
      expect(rest.hasMore).toBe(false);
      expect(rest.items[2].degraded).toEqual({
        reason: 'rate-limited',
        message: 'GitHub said 403',
        sinceMs: T,
      });
      const failingOfPayments = await statuses.query('node', {
        limit: 10,
        status: ['failing'],
        owner: PAYMENTS,
      });
      expect(failingOfPayments.items.map(s => s.entityRef)).toEqual([A, C]);
      expect((await store.tallies(['node'])).get('node')!.degraded).toEqual({
        'rate-limited': 1,
      });
      expect((await statuses.ofEntity(A)).map(s => s.campaignId)).toEqual([
        'node',
        'pd',
      ]);
    });

    it('records each notification once; a released claim can be claimed again', async () => {
      const claim = {
        campaignId: 'pd',
        entityRef: A,
        kind: 'started' as const,
        key: '',
      };
      expect(await statuses.claimNotification(claim, T)).toBe(true);
      expect(await statuses.claimNotification(claim, T)).toBe(false);
      expect([...(await statuses.sentNotifications('pd'))]).toEqual([
        `${A}|started|`,
      ]);
      await statuses.releaseNotifications([claim]);
      expect(await statuses.claimNotification(claim, T)).toBe(true);
    });

    it('deletes a campaign with its statuses, history and notifications, at the version read', async () => {
      await expect(
        store.delete('pd', 1, audit('campaign.delete')),
      ).rejects.toBeInstanceOf(CampaignVersionConflictError);
      await store.delete('pd', 2, audit('campaign.delete'));
      expect(await store.get('pd')).toBeUndefined();
      expect(await statuses.list('pd')).toEqual([]);
      expect(await statuses.history('pd', { byTeam: true })).toEqual([]);
      expect((await statuses.sentNotifications('pd')).size).toBe(0);
      await expect(store.delete('pd', 2, [])).rejects.toMatchObject({
        name: 'NotFoundError',
      });
    });

    it('rolls the migrations back', async () => {
      await rollbackClient(knex);
      expect(await knex.schema.hasTable('pc_campaigns')).toBe(false);
      await migrateClient(knex);
      expect(await knex.schema.hasTable('pc_campaign_status')).toBe(true);
    });
  },
);
