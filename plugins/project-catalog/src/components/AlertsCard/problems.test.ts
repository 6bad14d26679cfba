import { event } from '../cardStates/__testUtils__/dashCards';
import { dashTabLink } from './dashTabLink';
import { openIncidents, problemsOf, timelineMatch } from './problems';

describe('problems', () => {
  const alert = (id: string, rule: string, start: string, extra = {}) =>
    event({
      id,
      source: 'grafana',
      kind: 'alert',
      startTime: start,
      attributes: { ruleUid: rule },
      ...extra,
    });

  it('matches a firing alert to the open episode of its rule closest to its start', () => {
    const a = alert('grafana:firing:x', 'r1', '2026-03-03T10:00:00Z');
    const timeline = [
      alert('grafana:alert:r1:1', 'r1', '2026-03-03T06:00:00Z'),
      alert('grafana:alert:r1:2', 'r1', '2026-03-03T09:59:00Z'),
      alert('grafana:alert:r1:3', 'r1', '2026-03-03T10:00:00Z', {
        endTime: '2026-03-03T10:01:00Z',
      }),
      alert('grafana:alert:r2:4', 'r2', '2026-03-03T10:00:00Z'),
    ];
    expect(timelineMatch(a, timeline)?.id).toBe('grafana:alert:r1:2');
    expect(
      timelineMatch(alert('k', 'r9', a.startTime), timeline),
    ).toBeUndefined();
    expect(
      timelineMatch(event({ id: 'grafana:alert:r1:1' }), timeline)?.id,
    ).toBe('grafana:alert:r1:1');
  });

  it('lists an id once and keeps only open incidents', () => {
    const open = event({
      id: 'pd:1',
      kind: 'incident',
      status: 'acknowledged',
    });
    const done = event({ id: 'pd:2', kind: 'incident', status: 'resolved' });
    expect(openIncidents([open, done]).map(e => e.id)).toEqual(['pd:1']);
    expect(problemsOf([open], [open, done]).map(p => p.event.id)).toEqual([
      'pd:1',
    ]);
  });
});

describe('dashTabLink', () => {
  const now = Date.parse('2026-03-05T12:00:00Z');
  const params = (link: string) =>
    Object.fromEntries(new URL(link, 'http://x').searchParams);

  it('opens an hour before the start, up to now', () => {
    const link = dashTabLink(
      '/catalog/default/component/a/',
      '2026-03-05T10:30:20Z',
      now,
      'pd:1',
    );
    expect(link.split('?')[0]).toBe('/catalog/default/component/a/dash');
    expect(params(link)).toEqual({
      from: '2026-03-05T09:30:00Z',
      to: '2026-03-05T12:00:00Z',
      event: 'pd:1',
    });
  });

  it('keeps the window to a day for old events and to an hour for future ones', () => {
    expect(params(dashTabLink('/e', '2026-03-01T00:00:00Z', now))).toEqual({
      from: '2026-02-28T23:00:00Z',
      to: '2026-03-01T23:00:00Z',
    });
    expect(params(dashTabLink('/e', '2026-03-05T13:00:00Z', now)).to).toBe(
      '2026-03-05T14:00:00Z',
    );
  });
});
