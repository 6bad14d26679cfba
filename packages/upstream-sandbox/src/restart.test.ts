/*
 * Ids survive a restart: two sandboxes with the same seed, started 7 minutes apart, serve every
 * object both histories hold with the same id. Background objects keep their times too; story
 * objects keep their ids while their times follow `now`.
 */
import { startSandbox } from './sandbox';
import { Sandbox, ScenarioService, Story } from './types';
import { call, FIXED_NOW } from './__testUtils__/http';
import { storyQuietWindows } from './scenario/stories';

// Two sandboxes and a few hundred requests on a busy 2-core machine.
jest.setTimeout(60_000);

const HOUR = 3600e3;
const DAY = 24 * HOUR;
const A_NOW = FIXED_NOW;
const B_NOW = FIXED_NOW + 7 * 60e3 + 13e3;
/** How far the stories move: the anchors are whole seconds. */
const SHIFT = B_NOW - A_NOW;
const iso = (t: number) => new Date(t).toISOString();

/** One object as an upstream serves it: its kind, id, time and the service it belongs to. */
interface Obj {
  kind: string;
  id: string;
  at: number;
  service: string;
}

async function githubAll(sb: Sandbox, path: string): Promise<any[]> {
  const out: any[] = [];
  const sep = path.includes('?') ? '&' : '?';
  for (let page = 1; page < 100; page++) {
    const res = await call(
      sb,
      'github',
      `${path}${sep}per_page=100&page=${page}`,
    );
    expect(res.status).toBe(200);
    const items = Array.isArray(res.body) ? res.body : res.body.workflow_runs;
    out.push(...items);
    if (items.length < 100) break;
  }
  return out;
}

async function pagerdutyAll(
  sb: Sandbox,
  path: string,
  key: string,
): Promise<any[]> {
  const out: any[] = [];
  const sep = path.includes('?') ? '&' : '?';
  for (let offset = 0; offset < 10_000; offset += 100) {
    const res = await call(
      sb,
      'pagerduty',
      `${path}${sep}limit=100&offset=${offset}`,
    );
    expect(res.status).toBe(200);
    out.push(...res.body[key]);
    if (!res.body.more) break;
  }
  return out;
}

/** Every object of the kinds a cache keeps, from the upstreams' APIs. */
async function collect(sb: Sandbox): Promise<Obj[]> {
  const objs: Obj[] = [];
  const add = (kind: string, id: unknown, at: string | number, svc: string) =>
    objs.push({
      kind,
      id: String(id),
      at: typeof at === 'number' ? at : Date.parse(at),
      service: svc,
    });
  const since = iso(A_NOW - 20 * DAY);
  const until = iso(B_NOW + HOUR);
  for (const svc of sb.scenario.services) {
    if (svc.pagerdutyServiceId) {
      const pd = svc.pagerdutyServiceId;
      const incidents = await pagerdutyAll(
        sb,
        `/incidents?service_ids[]=${pd}&date_range=all`,
        'incidents',
      );
      for (const inc of incidents) {
        add('incident', inc.id, inc.created_at, svc.name);
        add('incident number', inc.incident_number, inc.created_at, svc.name);
        const entries = await pagerdutyAll(
          sb,
          `/incidents/${inc.id}/log_entries`,
          'log_entries',
        );
        for (const e of entries) add('log entry', e.id, e.created_at, svc.name);
      }
      const changes = await pagerdutyAll(
        sb,
        `/services/${pd}/change_events?since=${since}&until=${until}`,
        'change_events',
      );
      for (const c of changes) add('change event', c.id, c.timestamp, svc.name);
    }
    if (svc.githubSlug) {
      const repo = `/repos/${svc.githubSlug}`;
      for (const c of await githubAll(sb, `${repo}/commits?since=${since}`))
        add('commit', c.sha, c.commit.author.date, svc.name);
      for (const p of await githubAll(sb, `${repo}/pulls?state=all`)) {
        // A merged pull request comes with its merge commit.
        const at = p.merged_at ?? p.created_at;
        add('pull request', p.id, at, svc.name);
        add('pull request number', p.number, at, svc.name);
      }
      for (const r of await githubAll(sb, `${repo}/releases`))
        add('release', r.id, r.created_at, svc.name);
      for (const d of await githubAll(sb, `${repo}/deployments`)) {
        add('deployment', d.id, d.created_at, svc.name);
        for (const s of await githubAll(
          sb,
          `${repo}/deployments/${d.id}/statuses`,
        ))
          add('deployment status', s.id, s.created_at, svc.name);
      }
      for (const r of await githubAll(sb, `${repo}/actions/runs`)) {
        add('workflow run', r.id, r.created_at, svc.name);
        add(
          `workflow run number (${r.name})`,
          r.run_number,
          r.created_at,
          svc.name,
        );
      }
    }
  }
  // Grafana: annotations belong to a service by its tag (deploys) or its dashboards (alerts).
  const dashboards = new Map<string, string>();
  for (const svc of sb.scenario.services.filter(s => s.grafanaTag)) {
    const found = await call(
      sb,
      'grafana',
      `/api/search?tag=${svc.grafanaTag}`,
    );
    for (const d of found.body) dashboards.set(d.uid, svc.name);
  }
  const annotations = await call(
    sb,
    'grafana',
    `/api/annotations?from=${A_NOW - 20 * DAY}&to=${B_NOW + HOUR}&limit=100000`,
  );
  expect(annotations.body.length).toBeGreaterThan(50);
  for (const a of annotations.body) {
    const svc =
      dashboards.get(a.dashboardUID) ??
      sb.scenario.services.find(s => a.tags.includes(s.grafanaTag))?.name;
    add('annotation', a.id, a.time, svc ?? '?');
  }
  return objs;
}

/**
 * Background objects near a quiet window's edge may be in one history and not the other: a
 * release, say, is left out when it or the two hours after it fall in the window. The quiet
 * windows of both starts are computed once.
 */
function nearQuietEdge(services: ScenarioService[]): (o: Obj) => boolean {
  const windows = [A_NOW, B_NOW].map(now =>
    storyQuietWindows(Math.floor(now / 1000) * 1000, services),
  );
  return o =>
    windows
      .flatMap(w => (w.get(o.service) ?? []).flat())
      .some(e => o.at > e - 3 * HOUR && o.at < e + 3 * HOUR);
}

function storyIds(story: Story): string[] {
  return [
    ...story.timeline.map(s => s.id),
    story.cause?.id,
    ...story.causeAlsoSeenAs.map(c => c.id),
    ...story.decoys.map(d => d.id),
    story.incident?.pagerdutyId,
  ].filter((id): id is string => id !== undefined);
}

describe('ids across restarts', () => {
  let a: Sandbox;
  let b: Sandbox;
  let objsA: Obj[];
  let objsB: Obj[];
  beforeAll(async () => {
    [a, b] = await Promise.all([
      startSandbox({ seed: 42, now: A_NOW }),
      startSandbox({ seed: 42, now: B_NOW }),
    ]);
    objsA = await collect(a);
    objsB = await collect(b);
  });
  afterAll(() => Promise.all([a?.stop(), b?.stop()]));

  it('serves every object both histories hold with the same id: background at the same time, story objects 7 minutes later', () => {
    // Both histories: from the later start's third day to an hour before the earlier now.
    const from = B_NOW - 14 * DAY + 2 * DAY;
    const to = A_NOW - HOUR;
    const key = (o: Obj) => `${o.kind}\u0000${o.service}\u0000${o.id}`;
    const byKeyB = new Map(objsB.map(o => [key(o), o]));
    const nearEdge = nearQuietEdge(a.scenario.services);
    const byKeyA = new Map(objsA.map(o => [key(o), o]));
    const kinds = new Map<string, { same: number; moved: number }>();
    const missing: Obj[] = [];
    const moved: Array<Obj & { shift: number }> = [];
    for (const o of objsA) {
      if (o.at < from || o.at > to) continue;
      const counts = kinds.get(o.kind) ?? { same: 0, moved: 0 };
      kinds.set(o.kind, counts);
      const other = byKeyB.get(key(o));
      if (!other) {
        if (!nearEdge(o)) missing.push(o);
        continue;
      }
      if (other.at === o.at) counts.same++;
      else {
        moved.push({ ...o, shift: other.at - o.at });
        counts.moved++;
      }
    }
    // Only the stories move with now, by the 7 minutes: the incident stories in the last day,
    // and the quiet library's releases.
    expect(
      moved.filter(
        o =>
          o.shift !== SHIFT ||
          !(o.at > A_NOW - DAY || o.service === 'go-telemetry'),
      ),
    ).toEqual([]);
    // And nothing in the later history that the earlier one lacks.
    for (const o of objsB) {
      const at = o.at; // story objects are 7 minutes later in this one
      if (at < from || at > to + SHIFT) continue;
      if (!byKeyA.has(key(o)) && !nearEdge(o)) missing.push(o);
    }
    expect(missing).toEqual([]);

    const expected = [
      'incident',
      'incident number',
      'log entry',
      'change event',
      'commit',
      'pull request',
      'pull request number',
      'release',
      'deployment',
      'deployment status',
      'workflow run',
      'workflow run number (CI)',
      'workflow run number (Deploy)',
      'annotation',
    ];
    // Background objects of every kind kept their ids and times...
    for (const kind of expected) {
      const same = kinds.get(kind)?.same ?? 0;
      expect({
        kind,
        enough: same > (kind.startsWith('incident') ? 5 : 20),
      }).toEqual({ kind, enough: true });
    }
    // ...and story objects of every kind the stories have kept their ids.
    for (const kind of [
      'incident',
      'log entry',
      'change event',
      'commit',
      'pull request',
      'release',
      'deployment',
      'deployment status',
      'workflow run',
      'annotation',
    ])
      expect({ kind, moved: kinds.get(kind)!.moved > 0 }).toEqual({
        kind,
        moved: true,
      });
  });

  it("keeps the stories' ids and moves their times by the 7 minutes", () => {
    expect(b.scenario.stories.map(s => s.id)).toEqual(
      a.scenario.stories.map(s => s.id),
    );
    a.scenario.stories.forEach((sa, i) => {
      const sb = b.scenario.stories[i];
      expect(storyIds(sb)).toEqual(storyIds(sa));
      expect(storyIds(sa).length).toBeGreaterThan(0);
      expect(sb.timeline.map(s => s.at - SHIFT)).toEqual(
        sa.timeline.map(s => s.at),
      );
      expect(sb.cause && sb.cause.at - SHIFT).toEqual(sa.cause?.at);
      expect(sb.incident?.incidentNumber).toEqual(sa.incident?.incidentNumber);
      expect(sb.incident && sb.incident.triggeredAt - SHIFT).toEqual(
        sa.incident?.triggeredAt,
      );
    });
    // The APIs serve them: every id of the ground truth is there, 7 minutes later in b.
    const atA = new Map(objsA.map(o => [o.id, o.at]));
    const atB = new Map(objsB.map(o => [o.id, o.at]));
    for (const story of a.scenario.stories.filter(s => s.incident)) {
      for (const id of storyIds(story).filter(x => atA.has(x))) {
        expect({ id, shift: atB.get(id)! - atA.get(id)! }).toEqual({
          id,
          shift: SHIFT,
        });
      }
    }
  });

  it('keeps the error log documents of a story, and older background ones', async () => {
    const docs = async (
      sb: Sandbox,
      gte: number,
      lt: number,
    ): Promise<Array<{ id: string; at: number; message: string }>> => {
      const res = await call(sb, 'elasticsearch', '/logs-payments-*/_search', {
        method: 'POST',
        body: JSON.stringify({
          size: 10_000,
          sort: [{ '@timestamp': 'asc' }],
          query: { range: { '@timestamp': { gte, lt } } },
        }),
      });
      expect(res.status).toBe(200);
      return res.body.hits.hits.map((h: any) => ({
        id: h._id,
        at: Date.parse(h._source['@timestamp']),
        message: h._source.message,
      }));
    };
    // The bad deploy's errors (the background's own logs go on meanwhile, at their own times).
    const story = async (sb: Sandbox) => {
      const spike = sb.scenario.stories[0].errorSpikes[0];
      return (await docs(sb, spike.from, spike.to))
        .filter(d => /vault|tokeniz/.test(d.message))
        .map(d => `${d.id} ${d.at - (sb === b ? SHIFT : 0)}`);
    };
    const inA = await story(a);
    expect(inA.length).toBeGreaterThan(500);
    expect(await story(b)).toEqual(inA);
    // Background documents of a day both histories hold (older than a day: thinned the same way).
    const oldA = await docs(a, B_NOW - 10 * DAY, B_NOW - 9 * DAY);
    expect(oldA.length).toBeGreaterThan(50);
    expect(await docs(b, B_NOW - 10 * DAY, B_NOW - 9 * DAY)).toEqual(oldA);
  });

  it('keeps the Grafana alert rules and the Kibana rules', async () => {
    const rules = async (sb: Sandbox) =>
      (await call(sb, 'grafana', '/api/v1/provisioning/alert-rules')).body
        .map((r: any) => r.uid)
        .sort();
    expect((await rules(a)).length).toBeGreaterThan(5);
    expect(await rules(b)).toEqual(await rules(a));
    const kibana = async (sb: Sandbox) =>
      (
        await call(sb, 'kibana', '/api/alerting/rules/_find?per_page=100')
      ).body.data
        .map((r: any) => `${r.id} ${r.created_at}`)
        .sort();
    expect((await kibana(a)).length).toBeGreaterThan(5);
    expect(await kibana(b)).toEqual(await kibana(a));
  });
});
