import {
  applyTimelinePatch,
  isoParam,
  parseTimelineParams,
} from './useTimelineUrlState';

describe('timeline URL state', () => {
  it('round-trips every parameter through the query string', () => {
    const written = applyTimelinePatch(
      new URLSearchParams('entity=component:default/a'),
      {
        from: Date.parse('2026-03-03T00:00:00Z'),
        to: Date.parse('2026-03-03T06:00:00.500Z'),
        sources: ['github', 'pagerduty'],
        kinds: ['deploy'],
        severities: ['critical', 'error'],
        q: 'checkout eu',
        event: 'pagerduty:P1',
        view: 'list',
        deps: true,
        live: true,
      },
    );
    expect(written.toString()).toBe(
      'entity=component%3Adefault%2Fa&from=2026-03-03T00%3A00%3A00Z&to=2026-03-03T06%3A00%3A00.500Z&sources=github%2Cpagerduty&kinds=deploy&severity=critical%2Cerror&q=checkout+eu&event=pagerduty%3AP1&view=list&deps=1&live=1',
    );
    const parsed = parseTimelineParams(new URLSearchParams(written.toString()));
    expect(parsed).toEqual({
      from: Date.parse('2026-03-03T00:00:00Z'),
      to: Date.parse('2026-03-03T06:00:00.500Z'),
      invalidWindow: false,
      filters: {
        sources: ['github', 'pagerduty'],
        kinds: ['deploy'],
        severities: ['critical', 'error'],
        q: 'checkout eu',
      },
      event: 'pagerduty:P1',
      view: 'list',
      deps: true,
      live: true,
    });
  });

  it('removes what a patch clears and keeps what it does not name', () => {
    const next = applyTimelinePatch(
      new URLSearchParams('sources=github&q=x&event=e&deps=1&entity=a'),
      { sources: [], q: '', event: undefined, deps: false },
    );
    expect(next.toString()).toBe('entity=a');
  });

  it('has defaults and rejects windows it cannot use', () => {
    expect(parseTimelineParams(new URLSearchParams())).toEqual({
      from: undefined,
      to: undefined,
      invalidWindow: false,
      filters: { sources: [], kinds: [], severities: [], q: '' },
      event: undefined,
      view: 'lanes',
      deps: false,
      live: false,
    });
    for (const query of [
      'from=2026-03-03T06:00:00Z&to=2026-03-03T00:00:00Z',
      'from=soon&to=2026-03-03T00:00:00Z',
      'from=2026-03-03T06:00:00Z',
    ]) {
      const parsed = parseTimelineParams(new URLSearchParams(query));
      expect(parsed.invalidWindow).toBe(true);
      expect(parsed.from).toBeUndefined();
    }
    // Repeated parameters and stray commas are tolerated.
    expect(
      parseTimelineParams(
        new URLSearchParams('sources=github,&sources=grafana&live=true'),
      ),
    ).toMatchObject({
      filters: { sources: ['github', 'grafana'] },
      live: true,
    });
    expect(isoParam(Date.parse('2026-03-03T00:00:00Z'))).toBe(
      '2026-03-03T00:00:00Z',
    );
  });
});
