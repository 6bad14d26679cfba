import { event } from '../__testUtils__/fixtures';
import {
  bucketEvents,
  filterEvents,
  hasFilters,
  inWindow,
  NO_FILTERS,
  sourceOrder,
} from './events';

const FROM = Date.parse('2026-03-03T00:00:00Z');
const TO = Date.parse('2026-03-03T01:00:00Z');

describe('events', () => {
  const a = event({
    id: 'a',
    source: 'github',
    kind: 'deploy',
    severity: 'info',
    title: 'Deploy API v2',
    startTime: '2026-03-03T00:00:00Z',
  });
  const b = event({
    id: 'b',
    source: 'pagerduty',
    kind: 'incident',
    severity: 'critical',
    title: 'API down',
    startTime: '2026-03-03T00:30:00Z',
  });
  const c = event({
    id: 'c',
    source: 'grafana',
    kind: 'alert',
    severity: 'critical',
    title: 'Latency high',
    startTime: '2026-03-03T00:59:59Z',
    endTime: '2026-03-03T02:00:00Z',
  });
  const late = event({ id: 'late', startTime: '2026-03-03T02:00:00Z' });

  it('filters by source, kind, severity and all words of the search', () => {
    expect(filterEvents([a, b, c], NO_FILTERS)).toEqual([a, b, c]);
    expect(
      filterEvents([a, b, c], {
        ...NO_FILTERS,
        sources: ['github', 'grafana'],
      }),
    ).toEqual([a, c]);
    expect(
      filterEvents([a, b, c], { ...NO_FILTERS, kinds: ['incident'] }),
    ).toEqual([b]);
    expect(
      filterEvents([a, b, c], { ...NO_FILTERS, severities: ['critical'] }),
    ).toEqual([b, c]);
    expect(filterEvents([a, b, c], { ...NO_FILTERS, q: 'api' })).toEqual([
      a,
      b,
    ]);
    expect(filterEvents([a, b, c], { ...NO_FILTERS, q: ' API  v2 ' })).toEqual([
      a,
    ]);
    expect(hasFilters(NO_FILTERS)).toBe(false);
    expect(hasFilters({ ...NO_FILTERS, q: '  ' })).toBe(false);
    expect(hasFilters({ ...NO_FILTERS, kinds: ['alert'] })).toBe(true);
  });

  it('buckets events by start time and severity, ignoring those outside the window', () => {
    const { buckets, max } = bucketEvents([a, b, c, late], FROM, TO, 4);
    expect(buckets.map(x => x.count)).toEqual([1, 0, 1, 1]);
    expect(buckets[3].bySeverity.critical).toBe(1);
    expect(buckets[0].bySeverity.info).toBe(1);
    expect(max).toBe(1);
    expect(bucketEvents([a], FROM, FROM, 4).max).toBe(0);
  });

  it('tells which events overlap a window', () => {
    expect(
      inWindow(
        c,
        Date.parse('2026-03-03T01:30:00Z'),
        Date.parse('2026-03-03T03:00:00Z'),
      ),
    ).toBe(true);
    expect(inWindow(late, FROM, TO)).toBe(false);
    expect(inWindow(a, FROM, TO)).toBe(true);
  });

  it('orders sources as the backend lists their states, then by first event', () => {
    expect(
      sourceOrder(
        [
          { id: 'pagerduty', title: 'PagerDuty', entityRef: 'x', status: 'ok' },
          { id: 'github', title: 'GitHub', entityRef: 'x', status: 'ok' },
          { id: 'github', title: 'GitHub', entityRef: 'y', status: 'ok' },
        ],
        [c, a],
      ),
    ).toEqual(['pagerduty', 'github', 'grafana']);
  });
});
