import { TestDatabases } from '@backstage/backend-test-utils';
import { DashEvent } from '@dash-suite/plugin-dash-common';
import { migrateClient } from '../../database/migrations';
import { EventStore } from '../EventStore/EventStore';
import { EVENT_LIMITS, sanitizeEvents } from './sanitizeEvents';

jest.setTimeout(60_000);

const REF = 'component:default/payments-api';
const SOURCE = { id: 'github', title: 'GitHub' };

function event(partial: Partial<DashEvent> = {}): DashEvent {
  return {
    id: 'github:1',
    source: 'github',
    kind: 'deploy',
    title: 'Deploy v1',
    severity: 'info',
    startTime: '2026-11-22T10:00:00Z',
    entityRef: REF,
    attributes: {},
    ...partial,
  };
}

describe('sanitizeEvents', () => {
  it('drops what cannot be stored, counted by reason, and keeps the rest', () => {
    const result = sanitizeEvents(
      [
        event({ id: 'github:ok' }),
        event({ id: 'x'.repeat(EVENT_LIMITS.id + 1) }),
        event({ id: '' }),
        event({ id: 'github:k', kind: 'nonsense' as DashEvent['kind'] }),
        event({ id: 'github:t', startTime: 'yesterday' }),
        null as unknown as DashEvent,
      ],
      SOURCE,
      REF,
    );
    expect(result.events.map(e => e.id)).toEqual(['github:ok']);
    expect(Object.fromEntries(result.dropped)).toEqual({
      'id longer than 512 characters': 1,
      'no id': 1,
      'unknown kind': 1,
      'unreadable start time': 1,
      'not an event': 1,
    });
    expect(result.problem).toBe(
      'Skipped 5 of 6 event(s) from GitHub that cannot be stored: id longer than 512 characters (1), no id (1), unknown kind (1), unreadable start time (1), not an event (1)',
    );
  });

  it('keeps an id exactly as long as its column', () => {
    const id = 'y'.repeat(EVENT_LIMITS.id);
    const result = sanitizeEvents([event({ id })], SOURCE, REF);
    expect(result.events.map(e => e.id)).toEqual([id]);
    expect(result.problem).toBeUndefined();
  });

  it('strips NUL characters from every text, shortens long titles and statuses, and drops long or non-http links', () => {
    const [e] = sanitizeEvents(
      [
        event({
          id: 'github:\u0000a',
          title: `\u0000${'t'.repeat(700)}`,
          status: `\u0000${'s'.repeat(100)}`,
          url: `https://example.test/${'u'.repeat(EVENT_LIMITS.url)}`,
          actor: { name: 'a\u0000b', email: 'c\u0000@d' },
          attributes: { k: ['\u0000'], 'x\u0000': { y: 'z\u0000' } },
          entityRef: 'component:default/somebody-else',
          source: 'other',
          severity: 'apocalyptic' as DashEvent['severity'],
        }),
      ],
      SOURCE,
      REF,
    ).events;
    expect(e).toMatchObject({
      id: 'github:a',
      title: 't'.repeat(EVENT_LIMITS.title),
      status: 's'.repeat(EVENT_LIMITS.status),
      actor: { name: 'ab', email: 'c@d' },
      attributes: { k: [''], x: { y: 'z' } },
      entityRef: REF,
      source: 'github',
      severity: 'info',
    });
    expect(e.url).toBeUndefined();
    const [script] = sanitizeEvents(
      [event({ url: ['javascript', 'alert(1)'].join(':') })],
      SOURCE,
      REF,
    ).events;
    expect(script.url).toBeUndefined();
  });
});

const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });

describe.each(databases.eachSupportedId())(
  'sanitized events on %p',
  databaseId => {
    it('store in one batch whatever a source sent', async () => {
      const knex = await databases.init(databaseId);
      await migrateClient(knex);
      const store = new EventStore(knex);
      const raw = [
        event({ id: 'github:fine' }),
        event({
          id: `github:${'n'.repeat(EVENT_LIMITS.id)}`,
          title: 'too long an id',
        }),
        event({
          id: 'github:nul\u0000',
          title: `nul\u0000${'t'.repeat(2000)}`,
          status: `${'s'.repeat(300)}\u0000`,
          url: 'https://example.test/a\u0000b',
          actor: { name: '\u0000' },
          attributes: { note: '\u0000' },
        }),
      ];
      const { events } = sanitizeEvents(raw, SOURCE, REF);
      const created = await store.upsert(events);
      expect([...created].sort()).toEqual(['github:fine', 'github:nul']);
      const stored = await store.get(REF, 'github', 'github:nul');
      expect(stored?.title).toBe(`nul${'t'.repeat(2000)}`.slice(0, 500));
      expect(stored?.status).toBe('s'.repeat(EVENT_LIMITS.status));
      expect(stored?.url).toBe('https://example.test/ab');
      expect(stored?.attributes).toEqual({ note: '' });
    });
  },
);
