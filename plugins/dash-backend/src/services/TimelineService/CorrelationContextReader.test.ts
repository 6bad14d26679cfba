import { TestDatabases } from '@backstage/backend-test-utils';
import { DashEvent } from '@dash-suite/plugin-dash-common';
import { migrateClient } from '../../database/migrations';
import { deployEvent } from '../../testUtils/fakeSource';
import { EventStore } from '../EventStore/EventStore';
import { CorrelationContextReader } from './CorrelationContextReader';

jest.setTimeout(60_000);

const databases = TestDatabases.create({ ids: ['SQLITE_3'] });
const A = 'component:default/a';
const DEP = 'component:default/dep';
const T = Date.parse('2026-11-22T12:00:00Z');
const HOUR = 3600_000;

describe('CorrelationContextReader', () => {
  it('reads at most maxEvents per read, keeping those nearest the problem', async () => {
    const knex = await databases.init('SQLITE_3');
    await migrateClient(knex);
    const store = new EventStore(knex);
    // 300 deploys of a busy dependency in the hour before the incident.
    await store.upsert(
      Array.from({ length: 300 }, (_, i) =>
        deployEvent(`dep-${i}`, DEP, T - HOUR + i * 10_000),
      ),
    );
    const incident: DashEvent = {
      ...deployEvent('incident', A, T + HOUR),
      kind: 'incident',
      source: 'pagerduty',
      endTime: new Date(T + 2 * HOUR).toISOString(),
    };
    const reader = new CorrelationContextReader(store, 24 * HOUR, 0, 50);
    const context = await reader.read({
      problems: [incident],
      events: [incident],
      truncated: false,
      fromMs: T + HOUR - 1000,
      toMs: T + 3 * HOUR,
      targetRefs: [A],
      dependencyRefs: [DEP],
      shownRefs: [A],
    });
    const deps = context.filter(e => e.entityRef === DEP);
    expect(deps).toHaveLength(50);
    expect(deps.map(e => e.id)).toContain('dep-299');
    expect(deps.map(e => e.id)).not.toContain('dep-0');
  });

  it('reads what lies before the window once: an incident open across its start is not repeated', async () => {
    const knex = await databases.init('SQLITE_3');
    await migrateClient(knex);
    const store = new EventStore(knex);
    const open: DashEvent = {
      ...deployEvent('open-incident', A, T - 2 * HOUR),
      kind: 'incident',
      source: 'pagerduty',
      status: 'triggered',
    };
    const inWindow: DashEvent = {
      ...deployEvent('incident', A, T + HOUR),
      kind: 'incident',
      source: 'pagerduty',
      endTime: new Date(T + 2 * HOUR).toISOString(),
    };
    await store.upsert([
      open,
      inWindow,
      deployEvent('deploy-before', A, T - 3 * HOUR),
      deployEvent('deploy-in', A, T + HOUR / 2),
    ]);
    const window = { fromMs: T, toMs: T + 3 * HOUR };
    const events = await store.query({ entityRefs: [A], ...window });
    expect(events.map(e => e.id)).toEqual([
      'open-incident',
      'deploy-in',
      'incident',
    ]);
    const reader = new CorrelationContextReader(store, 24 * HOUR, 0);
    const context = await reader.read({
      problems: events.filter(e => e.kind === 'incident'),
      events,
      truncated: false,
      ...window,
      targetRefs: [A],
      dependencyRefs: [],
      shownRefs: [A],
    });
    expect(context.map(e => e.id).sort()).toEqual([
      'deploy-before',
      'deploy-in',
      'incident',
      'open-incident',
    ]);
  });
});
