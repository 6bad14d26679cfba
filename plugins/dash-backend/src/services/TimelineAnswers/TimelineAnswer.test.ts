import { DashTimelineResponse } from '@dash-suite/plugin-dash-common';
import { gunzipSync } from 'node:zlib';
import { alignToNow, answerKey } from './answerKey';
import { EntityVersions } from './EntityVersions';
import { toTimelineAnswer } from './TimelineAnswer';

const base: DashTimelineResponse = {
  entityRefs: ['component:default/payments-api'],
  dependencyRefs: [],
  from: '2026-12-01T00:00:00.000Z',
  to: '2026-12-01T06:00:00.000Z',
  events: [
    {
      id: 'github:deploy:1',
      source: 'github',
      entityRef: 'component:default/payments-api',
      kind: 'deploy',
      title: 'Deploy v2.14.0',
      startTime: '2026-12-01T05:00:00.000Z',
    } as DashTimelineResponse['events'][number],
  ],
  relatedEvents: [],
  sources: [
    {
      id: 'github',
      title: 'GitHub',
      entityRef: 'component:default/payments-api',
      status: 'ok',
      fetchedAt: '2026-12-01T06:00:00.000Z',
    },
  ],
  correlations: [],
  generatedAt: '2026-12-01T06:00:01.000Z',
};

describe('toTimelineAnswer', () => {
  it('serializes the whole answer, plain and gzip-compressed', async () => {
    const answer = toTimelineAnswer(base);
    expect(JSON.parse(answer.json.toString())).toEqual(base);
    expect(JSON.parse(gunzipSync(await answer.gzip()).toString())).toEqual(
      base,
    );
    expect(await answer.gzip()).toBe(await answer.gzip());
  });

  it('writes the UTF-8 bytes of the answer, characters of two, three and four bytes included', () => {
    const value: DashTimelineResponse = {
      ...base,
      events: [
        { ...base.events[0], title: 'Déploiement → 2.14 ✓ 🚀' },
        {
          ...base.events[0],
          id: 'github:deploy:2',
          title: '"quoted" \\ \u2028',
        },
      ],
    };
    const answer = toTimelineAnswer(value);
    const text = answer.json.toString('utf8');
    expect(JSON.parse(text)).toEqual(value);
    expect(answer.json.length).toBe(Buffer.byteLength(text));
    expect(text.endsWith('}')).toBe(true);
    expect(text).not.toContain('},{"from"');
  });

  it('keeps its validator while only the time of the answer, its window bounds and fetch times move', () => {
    const later = toTimelineAnswer({
      ...base,
      from: '2026-12-01T00:01:00.000Z',
      to: '2026-12-01T06:01:00.000Z',
      generatedAt: '2026-12-01T06:01:02.000Z',
      sources: [{ ...base.sources[0], fetchedAt: '2026-12-01T06:01:00.000Z' }],
    });
    expect(later.etag).toBe(toTimelineAnswer(base).etag);
    expect(later.etag).toMatch(/^W\/"[\w-]+"$/);
  });

  it('changes its validator with an event, an event field or a source status', () => {
    const etag = toTimelineAnswer(base).etag;
    const withEvent = toTimelineAnswer({
      ...base,
      events: [...base.events, { ...base.events[0], id: 'github:deploy:2' }],
    });
    const retitled = toTimelineAnswer({
      ...base,
      events: [{ ...base.events[0], title: 'Deploy v2.14.1' }],
    });
    const stale = toTimelineAnswer({
      ...base,
      sources: [{ ...base.sources[0], status: 'stale' }],
    });
    expect(
      new Set([etag, withEvent.etag, retitled.etag, stale.etag]).size,
    ).toBe(4);
  });
});

describe('answerKey', () => {
  const inputs = {
    targetRefs: ['component:default/payments-api'],
    dependencyRefs: ['component:default/fraud-detector'],
    fromMs: 0,
    toMs: 1000,
    states: base.sources,
    versions: '0:0,0',
  };

  it('differs with what the caller may read, the feed states and the versions', () => {
    const key = answerKey(inputs);
    expect(answerKey({ ...inputs })).toBe(key);
    expect(answerKey({ ...inputs, dependencyRefs: [] })).not.toBe(key);
    expect(
      answerKey({
        ...inputs,
        states: [{ ...base.sources[0], fetchedAt: '2026-12-01T06:00:15Z' }],
      }),
    ).not.toBe(key);
    expect(answerKey({ ...inputs, versions: '0:1,0' })).not.toBe(key);
    expect(answerKey({ ...inputs, kinds: ['deploy'] })).not.toBe(key);
  });
});

describe('EntityVersions', () => {
  it('moves the version of the entity that changed, whatever its case', () => {
    const versions = new EntityVersions();
    const refs = ['component:default/a', 'component:default/b'];
    const before = versions.of(refs);
    versions.changed('Component:default/A');
    expect(versions.of(refs)).not.toBe(before);
    expect(versions.of(['component:default/b'])).toBe(
      new EntityVersions().of(['component:default/b']),
    );
  });

  it('starts a new epoch instead of forgetting single counters', () => {
    const versions = new EntityVersions({ maxEntities: 2 });
    versions.changed('component:default/a');
    const a = versions.of(['component:default/a']);
    versions.changed('component:default/b');
    versions.changed('component:default/c');
    expect(versions.of(['component:default/a'])).not.toBe(a);
  });
});

describe('alignToNow', () => {
  const now = Date.parse('2026-12-01T06:00:17.000Z');
  const step = 60_000;

  it('moves a window that ends at about now to the next step, keeping its length', () => {
    const a = alignToNow({ fromMs: now - 6 * 3600_000, toMs: now }, now, step);
    const b = alignToNow(
      { fromMs: now + 20_000 - 6 * 3600_000, toMs: now + 20_000 },
      now + 20_000,
      step,
    );
    expect(a).toEqual(b);
    expect(new Date(a.toMs).toISOString()).toBe('2026-12-01T06:01:00.000Z');
    expect(a.toMs - a.fromMs).toBe(6 * 3600_000);
  });

  it('leaves a window in the past, and everything with step 0, alone', () => {
    const past = { fromMs: now - 7200_000, toMs: now - 3600_000 };
    expect(alignToNow(past, now, step)).toBe(past);
    const current = { fromMs: now - 3600_000, toMs: now };
    expect(alignToNow(current, now, 0)).toBe(current);
  });
});
