import { DashCorrelation, DashEvent } from '@dash-suite/plugin-dash-common';
import { computeDora } from './dora';

const DAY = 24 * 3600_000;
const HOUR = 3600_000;
const FROM = Date.parse('2026-11-01T00:00:00Z');
const TO = FROM + 10 * DAY;
const at = (ms: number) => new Date(FROM + ms).toISOString();
const REF = 'component:default/payments-api';

function e(
  id: string,
  partial: Partial<DashEvent> & Pick<DashEvent, 'kind' | 'startTime'>,
): DashEvent {
  return {
    id,
    source: 'github',
    title: id,
    severity: 'info',
    entityRef: REF,
    attributes: {},
    ...partial,
  };
}

describe('computeDora', () => {
  const events: DashEvent[] = [
    e('d1', {
      kind: 'deploy',
      startTime: at(1 * DAY),
      status: 'success',
      attributes: { environment: 'production' },
    }),
    e('d2', {
      kind: 'deploy',
      startTime: at(3 * DAY),
      status: 'success',
      attributes: { environment: 'production' },
    }),
    e('d3', {
      kind: 'deploy',
      startTime: at(5 * DAY),
      status: 'success',
      attributes: { environment: 'production' },
    }),
    e('d4', {
      kind: 'change',
      source: 'changes',
      startTime: at(7 * DAY),
      attributes: { changeType: 'deploy' },
    }),
    // Not counted: staging, failed, a rollback (but it marks d2 as failed).
    e('s1', {
      kind: 'deploy',
      startTime: at(2 * DAY),
      status: 'success',
      attributes: { environment: 'staging' },
    }),
    e('f1', {
      kind: 'deploy',
      startTime: at(4 * DAY),
      status: 'failure',
      attributes: { environment: 'production' },
    }),
    e('rb', {
      kind: 'deploy',
      startTime: at(3 * DAY + 2 * HOUR),
      status: 'success',
      attributes: { environment: 'production', rollback: true },
    }),
    // PRs: created 10 h before d1 and merged before it; another shipped by d3 after 20 h.
    e('pr1', {
      kind: 'pull-request',
      status: 'merged',
      startTime: at(1 * DAY - 2 * HOUR),
      attributes: {
        createdAt: at(1 * DAY - 10 * HOUR),
        mergedAt: at(1 * DAY - 2 * HOUR),
      },
    }),
    e('pr2', {
      kind: 'pull-request',
      status: 'merged',
      startTime: at(4 * DAY + 10 * HOUR),
      attributes: {
        createdAt: at(4 * DAY + 4 * HOUR),
        mergedAt: at(4 * DAY + 10 * HOUR),
      },
    }),
    e('pr-open', {
      kind: 'pull-request',
      status: 'open',
      startTime: at(6 * DAY),
    }),
    // Incidents: 1 h and 3 h to restore; one still open.
    e('i1', {
      kind: 'incident',
      source: 'pagerduty',
      startTime: at(5 * DAY + HOUR),
      endTime: at(5 * DAY + 2 * HOUR),
    }),
    e('i2', {
      kind: 'incident',
      source: 'pagerduty',
      startTime: at(8 * DAY),
      endTime: at(8 * DAY + 3 * HOUR),
    }),
    e('i3', { kind: 'incident', source: 'pagerduty', startTime: at(9 * DAY) }),
  ];
  const correlations: DashCorrelation[] = [
    {
      eventId: 'i1',
      lookbackFrom: at(4 * DAY),
      lookbackTo: at(5 * DAY + HOUR),
      onset: {
        time: at(5 * DAY + HOUR),
        eventId: 'x',
        signalIds: [],
        summary: '',
      },
      afterOnset: [],
      verdict: 'ranked',
      summary: '',
      candidates: [
        {
          eventId: 'd3',
          entityRef: REF,
          relation: 'self',
          score: 0.9,
          reasons: [],
        },
      ],
    },
  ];

  it('computes the four metrics and says what they rest on', () => {
    expect(
      computeDora({ fromMs: FROM, toMs: TO, events, correlations }),
    ).toEqual({
      deployCount: 4,
      deploysPerDay: 0.4,
      // pr1: 10 h (created → d1); pr2: created day 4 + 4 h, shipped by d3 at day 5 → 20 h.
      leadTimeHours: 15,
      // d2 was rolled back, d3 caused i1: 2 of 4.
      changeFailureRate: 0.5,
      timeToRestoreHours: 2,
      basis: {
        deploys: 4,
        mergedPullRequests: 2,
        failedDeploys: 2,
        resolvedIncidents: 2,
      },
    });
  });

  it('answers null, not zero, where there is nothing to compute from', () => {
    expect(
      computeDora({ fromMs: FROM, toMs: TO, events: [], correlations: [] }),
    ).toEqual({
      deployCount: 0,
      deploysPerDay: 0,
      leadTimeHours: null,
      changeFailureRate: null,
      timeToRestoreHours: null,
      basis: {
        deploys: 0,
        mergedPullRequests: 0,
        failedDeploys: 0,
        resolvedIncidents: 0,
      },
    });
  });
});
