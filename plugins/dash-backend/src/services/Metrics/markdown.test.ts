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
