import { TestDatabases } from '@backstage/backend-test-utils';
import { migrateClient, rollbackClient } from '../../database/migrations';
import { KnexAuditLog } from '../AuditLog/AuditLog';
import { KnexDiscoveryStore } from './DiscoveryStore';
import { DiscoveredProject } from './types';

jest.setTimeout(60_000);

const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });

function repo(
  name: string,
  extra: Partial<DiscoveredProject> = {},
): DiscoveredProject {
  return {
    id: `github:acme/${name}`,
    source: 'github',
    name,
    title: name,
    type: 'service',
    owner: 'group:default/team-sre',
    language: 'Go',
    links: [{ title: 'Repository', url: `https://github.com/acme/${name}` }],
    annotations: { 'github.com/project-slug': `acme/${name}` },
    evidence: { type: "topic 'service'" },
    ...extra,
  };
}

const decision = (
  status: 'ignored' | 'adopted' | 'merged',
  reason?: string,
) => ({
  status,
  by: 'user:default/alice',
  reason,
  audit: [
    {
      actor: 'user:default/alice',
      action: `discovery.${status}`,
      field: 'discovery.status',
      after: { status },
      outcome: 'succeeded' as const,
    },
  ],
});

describe.each(databases.eachSupportedId())('DiscoveryStore on %p', id => {
  let now = 1_000_000;
  async function setup() {
    const knex = await databases.init(id);
    await migrateClient(knex);
    const audit = new KnexAuditLog(knex);
    return {
      knex,
      audit,
      store: new KnexDiscoveryStore(knex, audit, () => now),
    };
  }

  it('stores a scan, refreshes open suggestions, drops the ones gone, and never reopens a decided one', async () => {
    const { store, audit } = await setup();
    await store.applyScan('github', [repo('a'), repo('b'), repo('c')]);
    expect(
      (await store.list({ limit: 10 })).suggestions.map(s => s.status),
    ).toEqual(['open', 'open', 'open']);

    expect(
      await store.decide('github:acme/a', decision('ignored', 'a prototype'), [
        'open',
      ]),
    ).toBe(true);
    // Deciding again finds it no longer open and writes nothing.
    expect(
      await store.decide('github:acme/a', decision('adopted'), ['open']),
    ).toBe(false);
    expect((await audit.query({ limit: 10 })).entries).toHaveLength(1);

    now += 60_000;
    await store.applyScan('github', [
      repo('a', { title: 'changed' }),
      repo('b', { owner: 'group:default/team-payments' }),
      repo('d'),
    ]);
    const page = await store.list({ limit: 10 });
    expect(page.suggestions.map(s => [s.id, s.status])).toEqual([
      ['github:acme/a', 'ignored'],
      ['github:acme/b', 'open'],
      ['github:acme/d', 'open'],
    ]);
    const [a, b, d] = page.suggestions;
    expect(a).toMatchObject({
      title: 'a',
      reason: 'a prototype',
      decidedBy: 'user:default/alice',
    });
    expect(a.lastSeenAt).toBe(new Date(now).toISOString());
    expect(b.owner).toBe('group:default/team-payments');
    expect(b.firstSeenAt).toBe(new Date(now - 60_000).toISOString());
    expect(d.firstSeenAt).toBe(new Date(now).toISOString());
    expect(page.counts).toEqual({ open: 2, ignored: 1, adopted: 0, merged: 0 });

    // Gone from the upstream: the ignored one stays ignored, the open one goes.
    await store.applyScan('github', []);
    expect(
      (await store.list({ limit: 10 })).suggestions.map(s => s.id),
    ).toEqual(['github:acme/a']);
    expect(await store.known('github')).toEqual(
      new Map([['github:acme/a', 'decided']]),
    );
  });

  it('keeps the suggestions and the last success when a scan fails, and says why', async () => {
    const { store } = await setup();
    await store.applyScan('pagerduty', [
      { ...repo('x'), id: 'pagerduty:PX', source: 'pagerduty' },
    ]);
    const okAt = now;
    now += 1000;
    await store.recordProblem(
      'pagerduty',
      'rate-limited',
      'PagerDuty answered 429',
    );
    expect(await store.scanStates()).toEqual([
      {
        upstream: 'pagerduty',
        status: 'rate-limited',
        message: 'PagerDuty answered 429',
        lastRunMs: now,
        lastSuccessMs: okAt,
        found: 1,
      },
    ]);
    expect(
      (await store.list({ source: 'pagerduty', limit: 5 })).suggestions,
    ).toHaveLength(1);
  });

  it('pages by id with filters', async () => {
    const { store } = await setup();
    await store.applyScan(
      'github',
      ['e', 'b', 'd', 'a', 'c'].map(n => repo(n)),
    );
    await store.decide('github:acme/c', decision('merged'), ['open']);
    const first = await store.list({ status: 'open', limit: 2 });
    expect(first.suggestions.map(s => s.name)).toEqual(['a', 'b']);
    const second = await store.list({
      status: 'open',
      limit: 2,
      afterId: first.nextCursor,
    });
    expect(second.suggestions.map(s => s.name)).toEqual(['d', 'e']);
    expect(second.nextCursor).toBeUndefined();
    expect(
      (await store.list({ source: 'pagerduty', limit: 5 })).counts.open,
    ).toBe(0);
  });

  it('writes nothing when the database fails half-way, and says 503', async () => {
    const { store, knex } = await setup();
    await knex.schema.dropTable('pc_discovery_scans');
    const error = await store.applyScan('github', [repo('a')]).catch(e => e);
    expect(error.name).toBe('ServiceUnavailableError');
    expect(
      Number((await knex('pc_discovery_suggestions').count({ n: '*' }))[0].n),
    ).toBe(0);
  });

  it('migrates down and up again', async () => {
    const { knex } = await setup();
    await rollbackClient(knex);
    expect(await knex.schema.hasTable('pc_discovery_suggestions')).toBe(false);
    await migrateClient(knex);
    expect(await knex.schema.hasTable('pc_discovery_scans')).toBe(true);
  });
});
