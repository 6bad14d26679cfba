import { TestDatabases, mockServices } from '@backstage/backend-test-utils';
import { JsonObject } from '@backstage/types';
import { migrateClient } from '../../database/migrations';
import { KnexAuditLog } from '../AuditLog/AuditLog';
import { CampaignCheckRegistry } from '../CampaignChecks/CheckRegistry';
import { entityFieldCheck } from '../CampaignChecks/entityField';
import { CampaignEvaluator } from '../CampaignEvaluator/CampaignEvaluator';
import { KnexCampaignStatusStore } from '../CampaignStore/CampaignStatusStore';
import { KnexCampaignStore } from '../CampaignStore/CampaignStore';
import { CampaignService } from './CampaignService';
import { applyConfigCampaigns } from './configCampaigns';

jest.setTimeout(60_000);

const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });

const definition = (partial: JsonObject = {}): JsonObject => ({
  id: 'pagerduty-service',
  title: 'Every service declares its PagerDuty service',
  owner: 'team-sre',
  startsAt: '2026-11-16',
  deadline: '2027-02-26',
  scope: { kind: ['Component'] },
  check: {
    type: 'entity-field',
    config: { annotation: 'pagerduty.com/service-id' },
  },
  ...partial,
});

describe.each(databases.eachSupportedId())(
  'applyConfigCampaigns on %p',
  databaseId => {
    it('creates, leaves unchanged ones alone, updates, skips bad ones with a log line, and deletes removed ones', async () => {
      const knex = await databases.init(databaseId);
      await migrateClient(knex);
      const auditLog = new KnexAuditLog(knex);
      const store = new KnexCampaignStore(knex, auditLog);
      const checks = new CampaignCheckRegistry();
      checks.add(entityFieldCheck);
      const logger = mockServices.logger.mock();
      const service = new CampaignService({
        store,
        statuses: new KnexCampaignStatusStore(knex, auditLog),
        checks,
        evaluator: {} as CampaignEvaluator,
        permissions: mockServices.permissions(),
        auditLog,
        logger,
      });
      const apply = (definitions: JsonObject[]) =>
        applyConfigCampaigns({ definitions, store, service, logger });

      expect(await apply([definition()])).toEqual({
        created: ['pagerduty-service'],
        updated: [],
        deleted: [],
      });
      // A restart with the same config changes nothing (the stored form is the normalized one).
      expect(await apply([definition()])).toEqual({
        created: [],
        updated: [],
        deleted: [],
      });
      expect(
        await apply([definition({ title: 'PagerDuty everywhere' })]),
      ).toEqual({
        created: [],
        updated: ['pagerduty-service'],
        deleted: [],
      });
      expect(await store.get('pagerduty-service')).toMatchObject({
        origin: 'config',
        version: 2,
        owner: 'group:default/team-sre',
        updatedBy: 'app-config',
      });

      // A broken definition is skipped and its stored campaign kept.
      expect(
        await apply([
          definition({ title: 'PagerDuty everywhere', deadline: 'soon' }),
        ]),
      ).toEqual({
        created: [],
        updated: [],
        deleted: [],
      });
      expect(logger.error).toHaveBeenCalledWith(
        expect.stringContaining(
          'projectCatalog.campaigns.definitions[0].deadline: must be an ISO 8601 date',
        ),
      );
      expect(await store.get('pagerduty-service')).toBeDefined();

      expect(await apply([])).toEqual({
        created: [],
        updated: [],
        deleted: ['pagerduty-service'],
      });
      const { entries } = await auditLog.query({
        actor: 'app-config',
        limit: 10,
      });
      expect(entries.map(e => `${e.action} ${e.field}`)).toEqual([
        'campaign.delete campaign:pagerduty-service',
        'campaign.update campaign:pagerduty-service/title',
        'campaign.create campaign:pagerduty-service',
      ]);
    });
  },
);
