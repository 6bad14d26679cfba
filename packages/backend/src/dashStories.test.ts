/*
 * The demo's stories, end to end: the DASH backend with all four source modules against the
 * upstream sandbox's demo scenario, on SQLite and PostgreSQL. The sandbox knows the ground truth
 * of each story (which change caused which incident); these tests check that the timeline finds
 * it, through the real clients and the real normalization.
 */
import { TestDatabases } from '@backstage/backend-test-utils';
import {
  DashCorrelation,
  DashEvent,
  DashTimelineResponse,
} from '@dash-suite/plugin-dash-common';
import { Sandbox, Story, startSandbox } from '@dash-suite/upstream-sandbox';
import request from 'supertest';
import { startDashDemoBackend } from './__testUtils__/dashDemoBackend';

jest.setTimeout(180_000);

const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });
const HOUR = 3600_000;
const MINUTE = 60_000;
/** Log spikes are found on a histogram: their start is known to a 5-minute bucket. */
const BUCKET = 5 * MINUTE;

/** Whether a DASH event id is the story's cause, as any system recorded it. */
const isCause = (story: Story, eventId: string) =>
  [story.cause!, ...story.causeAlsoSeenAs].some(c =>
    eventId.endsWith(`:${c.id}`),
  );
/** Where a story's change ranks among the candidates: -1 when it is not one. */
const rankOf = (c: DashCorrelation, id: string) =>
  c.candidates.findIndex(x => x.eventId.endsWith(`:${id}`));

describe.each(databases.eachSupportedId())(
  'the demo stories on %p',
  databaseId => {
    let sandbox: Sandbox;
    let server: any;

    beforeAll(async () => {
      sandbox = await startSandbox({ scenario: 'demo', seed: 42 });
      const knex = await databases.init(databaseId);
      const backend = await startDashDemoBackend({
        sandbox,
        knex,
        dash: { refresh: { maxWaitMs: 60_000, prewarm: { enabled: false } } },
      });
      server = backend.server;
    });

    afterAll(async () => {
      await sandbox?.stop();
    });

    async function timeline(entityRef: string): Promise<DashTimelineResponse> {
      const res = await request(server)
        .get('/api/dash/timeline')
        .query({
          entityRef,
          from: new Date(sandbox.scenario.now - 24 * HOUR).toISOString(),
          to: new Date(sandbox.scenario.now + HOUR).toISOString(),
        });
      expect(res.status).toBe(200);
      return res.body;
    }

    function correlationOf(
      t: DashTimelineResponse,
      upstreamId: string,
    ): DashCorrelation {
      const incident = t.events.find(
        e => e.kind === 'incident' && e.id.endsWith(`:${upstreamId}`),
      );
      expect(incident).toBeDefined();
      return t.correlations.find(c => c.eventId === incident!.id)!;
    }

    const all = (t: DashTimelineResponse) =>
      new Map<string, DashEvent>(
        [...t.events, ...t.relatedEvents].map(e => [e.id, e]),
      );

    it('payments-api: every source answers and the bad production deploy is ranked first', async () => {
      const story = sandbox.scenario.stories.find(
        s => s.id === 'payments-bad-deploy',
      )!;
      const t = await timeline(story.entityRef);
      expect(t.sources.map(s => `${s.id}:${s.status}`).sort()).toEqual([
        'github:ok',
        'grafana:ok',
        'kibana:ok',
        'pagerduty:ok',
      ]);
      const kinds = new Set(t.events.map(e => e.kind));
      for (const kind of [
        'incident',
        'alert',
        'log-spike',
        'deploy',
        'release',
        'pull-request',
      ]) {
        expect(kinds).toContain(kind);
      }
      const c = correlationOf(t, story.incident!.pagerdutyId);
      expect(c.verdict).toBe('ranked');
      const top = all(t).get(c.candidates[0].eventId)!;
      expect(top.id).toBe(
        `github:${story.cause!.githubSlug}:deployment:${story.cause!.id}`,
      );
      expect(c.candidates[0].reasons.join(' ')).toMatch(/rolled back/i);
      // The same deploy recorded by other systems is named by their sources' own titles.
      const alsoSeen = c.candidates[0].reasons.find(r =>
        r.startsWith('Also recorded by'),
      );
      expect(alsoSeen).toBe('Also recorded by Grafana');
      // The rollback (a decoy) happened after the incident began: never a candidate.
      for (const decoy of story.decoys) {
        expect(c.candidates.map(x => x.eventId).join(' ')).not.toContain(
          `:${decoy.id}`,
        );
      }
    });

    it("cart-service: the dependency's change is the suspect, not the downstream deploy or the later commit", async () => {
      const story = sandbox.scenario.stories.find(
        s => s.id === 'dependency-outage',
      )!;
      const t = await timeline(story.entityRef);
      const c = correlationOf(t, story.incident!.pagerdutyId);
      expect(c.verdict).toBe('ranked');
      const top = c.candidates[0];
      expect(top.entityRef).toBe(story.cause!.entityRef);
      expect(top.relation).toBe('dependency');
      expect(top.eventId).toContain(story.cause!.id);
      // The cause lives on a dependency that is not shown: it comes with the answer.
      expect(t.relatedEvents.map(e => e.id)).toContain(top.eventId);
      const suspects = c.candidates.map(x => x.eventId).join(' ');
      for (const decoy of story.decoys) {
        expect(suspects).not.toContain(decoy.id);
      }
    });

    const storyById = (id: string) =>
      sandbox.scenario.stories.find(s => s.id === id)!;

    /** The correlation of a story's incident, with the time its onset was found at. */
    async function correlate(s: Story) {
      const t = await timeline(s.entityRef);
      const c = correlationOf(t, s.incident!.pagerdutyId);
      expect(c.verdict).toBe('ranked');
      return { t, c, onset: Date.parse(c.onset?.time) };
    }

    it('notification-service: errors began 50 min before the page; the deploy 15 min before them is ranked first, the deploy between is after the onset', async () => {
      const s = storyById('early-onset');
      const { c, onset } = await correlate(s);
      expect(c.candidates[0].eventId).toBe(
        `github:${s.cause!.githubSlug}:deployment:${s.cause!.id}`,
      );
      // The onset is the first errors (to a log histogram bucket): after the cause, before the
      // harmless deploy and well before the page.
      const decoy = s.decoys[0];
      expect(Math.abs(onset - s.onset!)).toBeLessThanOrEqual(BUCKET);
      expect(onset).toBeGreaterThan(s.cause!.at);
      expect(onset).toBeLessThan(decoy.at);
      expect(onset).toBeLessThan(s.incident!.triggeredAt - 30 * MINUTE);
      expect(c.afterOnset.map(a => a.eventId)).toContain(
        `github:${decoy.githubSlug}:deployment:${decoy.id}`,
      );
      for (const d of s.decoys) expect(rankOf(c, d.id)).toBe(-1);
    });

    it("payments-api: fraud-detector's deploy, whose own alert and errors came first, outranks payments-api's closer change", async () => {
      const s = storyById('dependency-first');
      const { t, c } = await correlate(s);
      const top = c.candidates[0];
      expect(top.relation).toBe('dependency');
      expect(top.entityRef).toBe(s.cause!.entityRef);
      expect(isCause(s, top.eventId)).toBe(true);
      expect(t.relatedEvents.map(e => e.id)).toContain(top.eventId);
      // The decoy may be a suspect (it is before payments-api's onset), never the first.
      expect(rankOf(c, s.decoys[0].id)).not.toBe(0);
    });

    it('web-storefront: the flag turned on is ranked first, and its reasons say it was turned back off', async () => {
      const s = storyById('flag-turned-off');
      const { c } = await correlate(s);
      const top = c.candidates[0];
      expect(top.eventId).toBe(`pagerduty:change:${s.cause!.id}`);
      expect(top.reasons.join(' ')).toMatch(/turned (back|off)/i);
      // The deploy an hour before is a weaker suspect; the flag turned off is after the onset.
      expect(rankOf(c, s.decoys[0].id)).not.toBe(0);
      expect(rankOf(c, s.fix!.id)).toBe(-1);
      expect(c.afterOnset.map(a => a.eventId)).toContain(
        `pagerduty:change:${s.fix!.id}`,
      );
    });

    it('notification-service: a slow burn; the deploy 7 h before the page, before the memory warning began, is ranked first', async () => {
      const s = storyById('slow-burn');
      const { c, onset } = await correlate(s);
      expect(c.candidates[0].eventId).toBe(
        `github:${s.cause!.githubSlug}:deployment:${s.cause!.id}`,
      );
      // The onset is the memory warning an hour after the deploy, hours before the page.
      expect(Math.abs(onset - s.onset!)).toBeLessThanOrEqual(BUCKET);
      expect(onset).toBeGreaterThan(s.cause!.at);
      expect(onset).toBeLessThan(s.incident!.triggeredAt - 5 * HOUR);
    });

    it('go-telemetry: a quiet library shows releases and commits, and nothing to explain', async () => {
      const story = sandbox.scenario.stories.find(
        s => s.id === 'quiet-library',
      )!;
      const res = await request(server)
        .get('/api/dash/timeline')
        .query({
          entityRef: story.entityRef,
          from: new Date(sandbox.scenario.now - 14 * 24 * HOUR).toISOString(),
        });
      expect(res.status).toBe(200);
      const t: DashTimelineResponse = res.body;
      const kinds = new Set(t.events.map(e => e.kind));
      expect(kinds).toContain('release');
      expect(
        [...kinds].filter(
          k =>
            !['release', 'commit', 'pull-request', 'workflow-run'].includes(k),
        ),
      ).toEqual([]);
      expect(t.correlations).toEqual([]);
      expect(t.sources.map(s => s.id)).toEqual(['github']);
    });

    it('answers on-call and firing alerts from the sources that offer them', async () => {
      const oncall = await request(server)
        .get('/api/dash/oncall')
        .query({ entityRef: 'component:default/payments-api' });
      expect(oncall.status).toBe(200);
      expect(oncall.body.onCall.length).toBeGreaterThan(0);
      expect(oncall.body.onCall[0]).toMatchObject({
        source: 'pagerduty',
        escalationLevel: 1,
        user: { name: expect.any(String) },
      });
      const alerts = await request(server)
        .get('/api/dash/alerts')
        .query({ entityRef: 'component:default/payments-api' });
      expect(alerts.status).toBe(200);
      expect(
        alerts.body.sources.map((s: any) => `${s.id}:${s.status}`).sort(),
      ).toEqual(['grafana:ok', 'kibana:ok']);
    });
  },
);
