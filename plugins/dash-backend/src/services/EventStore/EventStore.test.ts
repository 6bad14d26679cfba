import { TestDatabases } from '@backstage/backend-test-utils';
import { DashEvent } from '@dash-suite/plugin-dash-common';
import { migrateClient, rollbackClient } from '../../database/migrations';
import { EventStore } from './EventStore';

jest.setTimeout(60_000);

const databases = TestDatabases.create({
  ids: ['SQLITE_3', 'POSTGRES_15'],
});

const A = 'component:default/a';
const B = 'component:default/b';
const T = Date.parse('2026-11-22T12:00:00Z');
const iso = (offsetMin: number) =>
  new Date(T + offsetMin * 60_000).toISOString();

function event(id: string, partial: Partial<DashEvent> = {}): DashEvent {
  return {
    id,
    source: 'github',
    kind: 'deploy',
    title: `Deploy ${id}`,
    severity: 'info',
    startTime: iso(0),
    entityRef: A,
    attributes: {
      environment: 'production',
      sha: 'abc123',
      count: 3,
      ok: true,
    },
    ...partial,
  };
}

describe.each(databases.eachSupportedId())('EventStore on %p', databaseId => {
  let store: EventStore;

  beforeAll(async () => {
    const knex = await databases.init(databaseId);
    await migrateClient(knex);
    store = new EventStore(knex);
  });

  it('round-trips every field, and upserts by (entity, source, id) without duplicates', async () => {
    const full = event('github:d1', {
      endTime: iso(10),
      status: 'success',
      url: 'https://github.com/acme/a/deployments',
      actor: { name: 'Amara Okafor', email: 'amara@acme.example' },
    });
    const created = await store.upsert([
      full,
      event('github:d2', { startTime: iso(5) }),
    ]);
    expect([...created].sort()).toEqual(['github:d1', 'github:d2']);

    const again = await store.upsert([
      { ...full, title: 'Deploy v2 (renamed)', status: 'failure' },
    ]);
    expect(again.size).toBe(0);

    const events = await store.query({
      entityRefs: [A],
      fromMs: T - 60_000,
      toMs: T + 3600_000,
    });
    expect(events.map(e => e.id)).toEqual(['github:d1', 'github:d2']);
    expect(events[0]).toEqual({
      ...full,
      title: 'Deploy v2 (renamed)',
      status: 'failure',
    });
  });

  it('reads by entity, window, source and kind, oldest first, and keeps open incidents that began earlier', async () => {
    await store.upsert([
      event('pd:open', {
        source: 'pagerduty',
        kind: 'incident',
        startTime: iso(-300),
        entityRef: B,
      }),
      event('pd:closed-early', {
        source: 'pagerduty',
        kind: 'incident',
        startTime: iso(-300),
        endTime: iso(-200),
        entityRef: B,
      }),
      event('gh:old', { startTime: iso(-300), entityRef: B }),
      event('gh:in', { startTime: iso(30), entityRef: B }),
      event('gr:in', {
        source: 'grafana',
        kind: 'alert',
        startTime: iso(20),
        entityRef: B,
      }),
    ]);
    const q = { entityRefs: [B], fromMs: T, toMs: T + 3600_000 };
    expect((await store.query(q)).map(e => e.id)).toEqual([
      'pd:open',
      'gr:in',
      'gh:in',
    ]);
    expect(
      (await store.query({ ...q, sources: ['github'] })).map(e => e.id),
    ).toEqual(['gh:in']);
    expect(
      (await store.query({ ...q, kinds: ['alert', 'incident'] })).map(
        e => e.id,
      ),
    ).toEqual(['pd:open', 'gr:in']);
    expect((await store.query({ ...q, limit: 2 })).map(e => e.id)).toEqual([
      'gr:in',
      'gh:in',
    ]);
    expect(await store.query({ ...q, entityRefs: [] })).toEqual([]);
  });

  it('says which events were new and which changed, and leaves unchanged ones alone', async () => {
    const ref = 'component:default/changes-told';
    const full = event('github:c1', {
      entityRef: ref,
      endTime: iso(10),
      status: 'in_progress',
      url: 'https://github.com/acme/a/deployments',
      actor: { name: 'Amara Okafor' },
    });
    const plain = event('github:c2', { entityRef: ref, startTime: iso(5) });
    const first = await store.upsertChanges([full, plain], T);
    expect([...first.created].sort()).toEqual(['github:c1', 'github:c2']);
    expect(first.updated.size).toBe(0);
    // The same content again, even as new objects: nothing new, nothing changed.
    const same = await store.upsertChanges(
      [JSON.parse(JSON.stringify(full)), { ...plain }],
      T + 1000,
    );
    expect(same.created.size + same.updated.size).toBe(0);
    const changed = await store.upsertChanges(
      [
        { ...full, status: 'success' },
        plain,
        event('github:c3', { entityRef: ref }),
      ],
      T + 2000,
    );
    expect([...changed.created]).toEqual(['github:c3']);
    expect([...changed.updated]).toEqual(['github:c1']);
    expect((await store.get(ref, 'github', 'github:c1'))?.status).toBe(
      'success',
    );
    // Each field counts: an end time taken away is a change too.
    const { endTime: _gone, ...withoutEnd } = { ...full, status: 'success' };
    const ended = await store.upsertChanges([withoutEnd], T + 3000);
    expect([...ended.updated]).toEqual(['github:c1']);
  });

  it('upserts a large batch in chunks, with repeated ids in one batch collapsing into one row', async () => {
    const many = Array.from({ length: 1100 }, (_, i) =>
      event(`bulk:${i}`, {
        entityRef: 'component:default/bulk',
        startTime: iso(i % 600),
      }),
    );
    many.push(
      event('bulk:0', {
        entityRef: 'component:default/bulk',
        title: 'last write wins',
      }),
    );
    const created = await store.upsert(many);
    expect(created.size).toBe(1100);
    const rows = await store.query({
      entityRefs: ['component:default/bulk'],
      fromMs: T - 1,
      toMs: T + 601 * 60_000,
    });
    expect(rows).toHaveLength(1100);
    expect(rows.find(r => r.id === 'bulk:0')?.title).toBe('last write wins');
  });

  it('deletes what ended before the retention cutoff and keeps the rest', async () => {
    const ref = 'component:default/retention';
    await store.upsert([
      event('r:old', { entityRef: ref, startTime: iso(-10_000) }),
      event('r:old-but-ended-late', {
        entityRef: ref,
        kind: 'incident',
        startTime: iso(-10_000),
        endTime: iso(0),
      }),
      event('r:new', { entityRef: ref, startTime: iso(0) }),
    ]);
    const { deleted } = await store.deleteOlderThan(T - 60 * 60_000);
    expect(deleted).toBeGreaterThanOrEqual(1);
    expect(await store.get(ref, 'github', 'r:old')).toBeUndefined();
    expect(
      await store.get(ref, 'github', 'r:old-but-ended-late'),
    ).toBeDefined();
    expect(await store.get(ref, 'github', 'r:new')).toBeDefined();
  });

  it('has migrations that roll back cleanly', async () => {
    const knex = await databases.init(databaseId);
    await migrateClient(knex);
    await rollbackClient(knex);
    expect(await knex.schema.hasTable('dash_events')).toBe(false);
    expect(await knex.schema.hasTable('dash_feeds')).toBe(false);
    await migrateClient(knex);
    expect(await knex.schema.hasTable('dash_events')).toBe(true);
  });
});
