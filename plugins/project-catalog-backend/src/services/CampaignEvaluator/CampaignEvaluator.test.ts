import { TestDatabases, mockServices } from '@backstage/backend-test-utils';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { ConfigReader } from '@backstage/config';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { NotificationSendOptions } from '@backstage/plugin-notifications-node';
import { JsonObject } from '@backstage/types';
import {
  Sandbox,
  serviceEntity,
  startSandbox,
} from '@dash-suite/upstream-sandbox';
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { migrateClient } from '../../database/migrations';
import { KnexAuditLog } from '../AuditLog/AuditLog';
import { CampaignCheckRegistry } from '../CampaignChecks/CheckRegistry';
import { Campaigns, setUpCampaigns } from '../CampaignService/setup';
import { KnexCampaignStatusStore } from '../CampaignStore/CampaignStatusStore';
import { KnexCampaignStore } from '../CampaignStore/CampaignStore';

jest.setTimeout(60_000);

const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });
const DAY = 86_400_000;
const CONTENTS = 'GET /repos/{owner}/{repo}/contents/{path}';

/** The demo campaigns exactly as app-config.yaml declares them. */
function demoDefinitions(): JsonObject[] {
  const file = path.resolve(__dirname, '../../../../../app-config.yaml');
  const config = parse(fs.readFileSync(file, 'utf8'));
  return config.projectCatalog.campaigns.definitions;
}

/**
 * The demo catalog as the sandbox reads it, plus the organisation's Node repositories that the
 * catalog lacks, as if discovery had adopted them (the demo catalog has one Node component).
 */
function demoCatalog(sb: Sandbox): Entity[] {
  const owned = (e: Entity, owner: string): Entity => ({
    ...e,
    relations: [...(e.relations ?? []), { type: 'ownedBy', targetRef: owner }],
  });
  const services = sb.scenario.services.map(s =>
    owned(
      {
        ...(serviceEntity(s) as Entity),
        metadata: { ...serviceEntity(s).metadata, tags: s.tags },
      },
      s.owner,
    ),
  );
  const adopted = sb.scenario.github.repos
    .filter(
      r =>
        !r.inCatalog && !r.archived && !r.fork && r.nodeVersion !== undefined,
    )
    .map(r =>
      owned(
        {
          apiVersion: 'backstage.io/v1alpha1',
          kind: 'Component',
          metadata: {
            name: r.name,
            namespace: 'default',
            tags: r.topics,
            annotations: { 'github.com/project-slug': r.fullName },
          },
          spec: {
            type: r.type,
            lifecycle: 'production',
            owner: `group:default/${r.ownerTeam}`,
          },
        },
        `group:default/${r.ownerTeam}`,
      ),
    );
  return [...services, ...adopted];
}

const refOf = (e: Entity) => stringifyEntityRef(e).toLocaleLowerCase('en-US');

describe.each(databases.eachSupportedId())(
  'CampaignEvaluator on %p',
  databaseId => {
    let sb: Sandbox;
    let entities: Entity[];
    let campaigns: Campaigns;
    let statuses: KnexCampaignStatusStore;
    let store: KnexCampaignStore;
    let sent: NotificationSendOptions[];

    beforeAll(async () => {
      sb = await startSandbox({ scenario: 'demo' });
      entities = demoCatalog(sb);
      const knex = await databases.init(databaseId);
      await migrateClient(knex);
      const auditLog = new KnexAuditLog(knex);
      statuses = new KnexCampaignStatusStore(knex, auditLog);
      store = new KnexCampaignStore(knex, auditLog);
      sent = [];
      // The catalog as it is at each call, so that a test can change an entity.
      const catalog = {
        getEntities: (req: any, opts: any) =>
          catalogServiceMock({ entities }).getEntities(req, opts),
      } as unknown as CatalogService;
      campaigns = await setUpCampaigns({
        config: new ConfigReader({
          integrations: {
            github: [
              {
                host: 'github.com',
                apiBaseUrl: sb.urls.github,
                token: sb.tokens.github,
              },
            ],
          },
          projectCatalog: {
            campaigns: {
              checkTimeoutSeconds: 1,
              github: { retries: 0, maxWaitSeconds: 1 },
              definitions: demoDefinitions(),
            },
          },
        }),
        logger: mockServices.logger.mock(),
        db: knex,
        auth: mockServices.auth(),
        discovery: mockServices.discovery(),
        catalog,
        permissions: mockServices.permissions(),
        notifications: { send: async n => void sent.push(n) },
        scheduler: mockServices.scheduler.mock(),
        auditLog,
        checks: new CampaignCheckRegistry(),
      });
    });

    afterAll(async () => {
      await sb?.stop();
    });

    afterEach(() => sb.setFaults('github', undefined));

    const byStatus = async (id: string) => {
      const all = await statuses.list(id);
      const of = (s: string) =>
        all
          .filter(x => x.status === s)
          .map(x => x.entityRef)
          .sort();
      return { all, done: of('done'), failing: of('failing') };
    };

    it('evaluates "every service declares its PagerDuty service": done exactly where the catalog names one', async () => {
      const summary = await campaigns.evaluator.evaluate('pagerduty-service');
      const truth = entities.filter(
        e => e.metadata.annotations?.['pagerduty.com/service-id'],
      );
      const { all, done, failing } = await byStatus('pagerduty-service');
      expect(all).toHaveLength(entities.length);
      expect(done).toEqual(truth.map(refOf).sort());
      expect(failing).toEqual(
        entities
          .filter(e => !truth.includes(e))
          .map(refOf)
          .sort(),
      );
      expect(done.length).toBeGreaterThan(0);
      expect(failing.length).toBeGreaterThan(0);
      expect(summary.counts).toMatchObject({
        done: done.length,
        failing: failing.length,
        total: all.length,
      });
      expect(all.find(s => s.entityRef === failing[0])!.detail).toBe(
        'annotation pagerduty.com/service-id is not set',
      );
    });

    it('evaluates "CI runs on Node 22" against the sandbox repositories: half done, as its ground truth says', async () => {
      await campaigns.evaluator.evaluate('ci-node-22');
      const node = entities.filter(e =>
        (e.metadata.tags ?? []).some(
          t => t === 'typescript' || t === 'javascript',
        ),
      );
      const repoOf = (e: Entity) =>
        sb.scenario.github.repos.find(
          r =>
            r.fullName === e.metadata.annotations?.['github.com/project-slug'],
        )!;
      const truth = node.filter(e => repoOf(e).nodeVersion === 22);
      const { all, done, failing } = await byStatus('ci-node-22');
      expect(all.map(s => s.entityRef).sort()).toEqual(node.map(refOf).sort());
      expect(done).toEqual(truth.map(refOf).sort());
      expect(failing).toEqual(
        node
          .filter(e => !truth.includes(e))
          .map(refOf)
          .sort(),
      );
      expect(done.length * 2).toBe(all.length);
      const storefront = all.find(
        s => s.entityRef === 'component:default/web-storefront',
      )!;
      expect(storefront).toMatchObject({
        status: 'failing',
        detail: expect.stringContaining(
          '.github/workflows/ci.yml in acme/web-storefront has no match',
        ),
      });
      expect(all.find(s => s.status === 'done')!.detail).toMatch(
        /node-version: 22$/,
      );
    });

    it('asks again with the ETags: an unchanged file is a 304 and the results stay', async () => {
      const before = await statuses.list('ci-node-22');
      sb.resetCounters();
      await campaigns.evaluator.evaluate('ci-node-22');
      const requests = sb.requests({ upstream: 'github', route: CONTENTS });
      expect(requests).toHaveLength(before.length);
      expect(requests.map(r => r.status)).toEqual(before.map(() => 304));
      const after = await statuses.list('ci-node-22');
      expect(after.map(s => [s.entityRef, s.status, s.detail])).toEqual(
        before.map(s => [s.entityRef, s.status, s.detail]),
      );
    });

    it('degrades when GitHub refuses: last results kept, each status says why, and the check stops calling', async () => {
      const before = await statuses.list('ci-node-22');
      const summaryOf = async () =>
        (await store.tallies(['ci-node-22'])).get('ci-node-22')!;

      sb.setFaults('github', { unauthorized: true });
      sb.resetCounters();
      await campaigns.evaluator.evaluate('ci-node-22');
      let after = await statuses.list('ci-node-22');
      expect(after.map(s => s.status)).toEqual(before.map(s => s.status));
      expect(after.every(s => s.degraded?.reason === 'unauthorized')).toBe(
        true,
      );
      expect(after[0].degraded!.message).toMatch(
        /refused the credentials \(401/,
      );
      // Refused once, the check is not called again in this run (four were in flight at once).
      const asked = sb.requests({ upstream: 'github', route: CONTENTS });
      expect(asked.length).toBeGreaterThan(0);
      expect(asked.length).toBeLessThanOrEqual(4);
      expect(asked.every(r => r.status === 401)).toBe(true);
      expect((await summaryOf()).degraded).toEqual({
        unauthorized: before.length,
      });
      const since = after[0].degraded!.sinceMs;

      sb.setFaults('github', { hangRate: 1 });
      await campaigns.evaluator.evaluate('ci-node-22');
      after = await statuses.list('ci-node-22');
      expect(after.map(s => s.status)).toEqual(before.map(s => s.status));
      expect(after.every(s => s.degraded?.reason === 'timed-out')).toBe(true);

      sb.setFaults('github', { rateLimit: { rate: 1, retryAfterSec: 1 } });
      await campaigns.evaluator.evaluate('ci-node-22');
      after = await statuses.list('ci-node-22');
      expect(after.map(s => s.status)).toEqual(before.map(s => s.status));
      expect(after.every(s => s.degraded?.reason === 'rate-limited')).toBe(
        true,
      );
      expect(after[0].degraded!.message).toMatch(
        /rate limited by github.com until/,
      );
      // Degraded since the first refusal, not since the last.
      expect(after[0].degraded!.sinceMs).toBe(since);

      // GitHub is back once the Retry-After has passed: the ETags still hold, so 304s.
      sb.setFaults('github', undefined);
      await new Promise(resolve => setTimeout(resolve, 1100));
      sb.resetCounters();
      await campaigns.evaluator.evaluate('ci-node-22');
      after = await statuses.list('ci-node-22');
      expect(after.every(s => !s.degraded)).toBe(true);
      expect(after.map(s => [s.status, s.detail])).toEqual(
        before.map(s => [s.status, s.detail]),
      );
      const again = sb.requests({ upstream: 'github', route: CONTENTS });
      expect(again.map(r => r.status)).toEqual(before.map(() => 304));
      expect((await summaryOf()).degraded).toEqual({});
    });

    it('notifies owners once each: the start, the week before the deadline, and a regression', async () => {
      const now = Date.now();
      const pd = (await store.get('pagerduty-service'))!;
      await store.create(
        {
          ...pd,
          id: 'pd-soon',
          origin: 'ui',
          startsMs: now - DAY,
          deadlineMs: now + 3 * DAY,
        },
        [],
      );
      sent.length = 0;
      await campaigns.evaluator.evaluate('pd-soon');
      const failing = (await byStatus('pd-soon')).failing;
      const ownersOf = (refs: string[]) =>
        [
          ...new Set(
            entities
              .filter(e => refs.includes(refOf(e)))
              .map(
                e => e.relations!.find(r => r.type === 'ownedBy')!.targetRef,
              ),
          ),
        ].sort();
      const topics = (topic: string) =>
        sent.filter(n => n.payload.topic === topic);
      const recipients = (topic: string) =>
        topics(topic)
          .flatMap(n =>
            n.recipients.type === 'entity'
              ? [n.recipients.entityRef].flat()
              : [],
          )
          .sort();
      // Done entities are not told that the campaign started; each owner team gets one of each.
      expect(recipients('project-catalog.campaign.started')).toEqual(
        ownersOf(failing),
      );
      expect(recipients('project-catalog.campaign.deadline')).toEqual(
        ownersOf(failing),
      );
      expect(
        topics('project-catalog.campaign.deadline')[0].payload.title,
      ).toMatch(/not done, deadline/);

      sent.length = 0;
      await campaigns.evaluator.evaluate('pd-soon');
      expect(sent).toEqual([]);

      // payments-api loses its annotation: a regression, told once.
      const payments = entities.find(e => e.metadata.name === 'payments-api')!;
      const annotations = payments.metadata.annotations!;
      payments.metadata.annotations = Object.fromEntries(
        Object.entries(annotations).filter(
          ([k]) => k !== 'pagerduty.com/service-id',
        ),
      );
      try {
        await campaigns.evaluator.evaluate('pd-soon');
        await campaigns.evaluator.evaluate('pd-soon');
      } finally {
        payments.metadata.annotations = annotations;
      }
      expect(sent.map(n => n.payload.topic).sort()).toEqual([
        'project-catalog.campaign.deadline',
        'project-catalog.campaign.regressed',
      ]);
      const regressed = topics('project-catalog.campaign.regressed')[0];
      expect(regressed.recipients).toEqual({
        type: 'entity',
        entityRef: ['group:default/team-payments'],
      });
      expect(regressed.payload).toMatchObject({
        title: expect.stringContaining('payments-api no longer done'),
        link: '/catalog/default/component/payments-api',
        severity: 'high',
      });
    });

    it('records the day for the burn-up, whole and per owner team', async () => {
      const rows = await statuses.history('ci-node-22', { byTeam: true });
      const today = new Date().toISOString().slice(0, 10);
      expect(rows.every(r => r.day === today)).toBe(true);
      const whole = rows.find(r => r.team === '')!;
      const teams = rows.filter(r => r.team !== '');
      expect(teams.length).toBeGreaterThan(0);
      expect(teams.reduce((n, r) => n + r.counts.total, 0)).toBe(
        whole.counts.total,
      );
      expect(teams.reduce((n, r) => n + r.counts.done, 0)).toBe(
        whole.counts.done,
      );
    });
  },
);
