import { DashEvent } from '@dash-suite/plugin-dash-common';
import { renderMarkdown } from './markdown';

const REF = 'component:default/payments-api';
const base = {
  source: 'github',
  severity: 'info' as const,
  entityRef: REF,
  attributes: {},
};

describe('renderMarkdown', () => {
  const incident: DashEvent = {
    ...base,
    id: 'pd:1',
    source: 'pagerduty',
    kind: 'incident',
    severity: 'critical',
    title: 'Payments | error rate high',
    startTime: '2026-11-22T10:05:00.000Z',
    endTime: '2026-11-22T10:50:00.000Z',
    url: 'https://acme.pagerduty.com/incidents/1',
  };
  const deploy: DashEvent = {
    ...base,
    id: 'gh:d',
    kind: 'deploy',
    title: 'Deploy v2.14.0',
    startTime: '2026-11-22T10:00:00.000Z',
    status: 'success',
    url: 'https://github.com/acme/payments-api/deployments',
  };

  it('writes sources, incidents with ranked causes, and an escaped event table', () => {
    const md = renderMarkdown({
      entityRefs: [REF],
      from: '2026-11-22T09:00:00.000Z',
      to: '2026-11-22T12:00:00.000Z',
      events: [deploy, incident],
      relatedEvents: [],
      correlations: [
        {
          eventId: 'pd:1',
          lookbackFrom: '2026-11-21T10:05:00.000Z',
          lookbackTo: incident.startTime,
          onset: {
            time: incident.startTime,
            eventId: 'x',
            signalIds: [],
            summary: '',
          },
          afterOnset: [],
          verdict: 'ranked',
          summary: 'Most likely: Deploy v2.14.0',
          candidates: [
            {
              eventId: 'gh:d',
              entityRef: REF,
              relation: 'self',
              score: 0.95,
              reasons: ['Deployed 5 min before', 'Rolled back'],
            },
          ],
        },
      ],
      sources: [
        {
          id: 'github',
          title: 'GitHub',
          entityRef: REF,
          status: 'ok',
          fetchedAt: '2026-11-22T11:59:00.000Z',
        },
        {
          id: 'grafana',
          title: 'Grafana',
          entityRef: REF,
          status: 'timed-out',
          message: 'did not answer',
        },
      ],
      generatedAt: '2026-11-22T12:00:30.000Z',
    });
    expect(md).toContain('# Timeline: payments-api');
    expect(md).toContain(
      'Window: 2026-11-22 09:00 UTC to 2026-11-22 12:00 UTC.',
    );
    expect(md).toContain('- Grafana (payments-api): timed-out: did not answer');
    expect(md).toContain('> 1 source was not fully up to date');
    expect(md).toContain('### Payments \\| error rate high');
    expect(md).toContain(
      '1. [Deploy v2.14.0](https://github.com/acme/payments-api/deployments) (score 0.95): Deployed 5 min before; Rolled back',
    );
    expect(md).toContain(
      '| 2026-11-22 10:05 UTC | payments-api | pagerduty | incident | critical | [Payments \\| error rate high](https://acme.pagerduty.com/incidents/1) |',
    );
    expect(md.split('\n').filter(l => l.startsWith('| 2026'))).toHaveLength(2);
  });

  it('says when the window is empty and when nothing plausible changed', () => {
    const md = renderMarkdown({
      entityRefs: [REF],
      from: '2026-11-22T09:00:00.000Z',
      to: '2026-11-22T12:00:00.000Z',
      events: [],
      relatedEvents: [incident],
      correlations: [
        {
          eventId: 'pd:1',
          lookbackFrom: '',
          lookbackTo: '',
          onset: {
            time: '2026-11-22T10:00:00.000Z',
            eventId: 'x',
            signalIds: [],
            summary: '',
          },
          afterOnset: [],
          verdict: 'nothing-plausible',
          summary:
            'No deploys or changes on payments-api in the 24 h before this incident began.',
          candidates: [],
        },
      ],
      sources: [],
      generatedAt: '2026-11-22T12:00:30.000Z',
    });
    expect(md).toContain('No source applies to these entities.');
    expect(md).toContain(
      'No deploys or changes on payments-api in the 24 h before this incident began.',
    );
    expect(md).toContain(
      'No events between 2026-11-22 09:00 UTC and 2026-11-22 12:00 UTC.',
    );
  });
});

describe('renderMarkdown with hostile text', () => {
  const HOSTILE = '[click](javascript:alert(1)) <img src=x onerror=alert(1)>';
  const evil: DashEvent = {
    source: 'changes',
    severity: 'warning',
    entityRef: REF,
    attributes: {},
    id: 'chg:1',
    kind: 'change',
    title: `${HOSTILE}\n# injected heading`,
    startTime: '2026-11-22T10:00:00.000Z',
    status: 'ok | <b>bold</b>',
    url: ['javascript', 'alert(1)'].join(':'),
  };
  const incident: DashEvent = {
    source: 'pagerduty',
    severity: 'critical',
    entityRef: REF,
    attributes: {},
    id: 'pd:9',
    kind: 'incident',
    title: '# [x](https://evil.example) **boom**',
    startTime: '2026-11-22T10:05:00.000Z',
    url: 'https://acme.pagerduty.com/incidents/(9) x',
  };
  const md = renderMarkdown({
    entityRefs: [REF],
    from: '2026-11-22T09:00:00.000Z',
    to: '2026-11-22T12:00:00.000Z',
    events: [evil, incident],
    relatedEvents: [],
    correlations: [
      {
        eventId: 'pd:9',
        lookbackFrom: '',
        lookbackTo: '',
        onset: {
          time: '2026-11-22T10:00:00.000Z',
          eventId: 'x',
          signalIds: [],
          summary: '',
        },
        afterOnset: [],
        verdict: 'ranked',
        summary: 'x',
        candidates: [
          {
            eventId: 'chg:1',
            entityRef: REF,
            relation: 'self',
            score: 0.5,
            reasons: ['<script>alert(1)</script>', 'line\nbreak'],
          },
        ],
      },
      {
        eventId: 'pd:9',
        lookbackFrom: '',
        lookbackTo: '',
        onset: {
          time: '2026-11-22T10:00:00.000Z',
          eventId: 'x',
          signalIds: [],
          summary: '',
        },
        afterOnset: [],
        verdict: 'nothing-plausible',
        summary: '1. > <img src=x>',
        candidates: [],
      },
    ],
    sources: [
      {
        id: 'changes',
        title: 'Changes <i>',
        entityRef: REF,
        status: 'error',
        message:
          'upstream said:\n<img src=x onerror=alert(1)> [a](javascript:x)',
      },
    ],
    generatedAt: '2026-11-22T12:00:30.000Z',
  });

  it('leaves no raw HTML and no link but the http(s) ones it writes', () => {
    // Every < is escaped, so no tag survives.
    expect(md).not.toMatch(/(^|[^\\])</m);
    // The only link targets are http(s): the hostile ones are text now.
    const targets = [...md.matchAll(/(?<!\\)\]\(([^)]*)\)/g)].map(m => m[1]);
    expect([...new Set(targets)]).toEqual([
      'https://acme.pagerduty.com/incidents/%289%29%20x',
    ]);
    expect(md).toContain(
      '\\[click\\](javascript:alert(1)) \\<img src=x onerror=alert(1)\\>',
    );
  });

  it('keeps each field on its own line and out of the heading and table syntax', () => {
    const lines = md.split('\n');
    // One heading per level: the injected "# injected heading" stays inside its row.
    expect(lines.filter(l => l.startsWith('# '))).toEqual([
      '# Timeline: payments-api',
    ]);
    expect(lines).toContain(
      '### # \\[x\\](https://evil.example) \\*\\*boom\\*\\*',
    );
    const rows = lines.filter(l => l.startsWith('| 2026'));
    expect(rows).toHaveLength(2);
    // Six cells each: the status's | is escaped.
    for (const row of rows) {
      expect(row.split(/(?<!\\)\|/).length - 2).toBe(6);
    }
    expect(md).toContain('(ok \\| \\<b\\>bold\\</b\\>)');
    expect(md).toContain('\\<script\\>alert(1)\\</script\\>; line break');
    // A summary on its own line cannot become a list or a quote.
    expect(lines).toContain('1\\. \\> \\<img src=x\\>');
    expect(md).toContain(
      '- Changes \\<i\\> (payments-api): error: upstream said: \\<img src=x onerror=alert(1)\\> \\[a\\](javascript:x)',
    );
  });
});
