import { renderInTestApp } from '@backstage/test-utils';
import type { DashSourceState } from '@dash-suite/plugin-dash-common';
import { DASH_SOURCE_STATUSES } from '@dash-suite/plugin-dash-common';
import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { SourceStatusBar } from './SourceStatusBar';

const NOW = Date.parse('2026-03-03T06:00:00Z');
const REF = 'component:default/payments-api';
const iso = (t: number) => new Date(t).toISOString();

/** One source in each status, with the message the backend would send. */
const STATES: DashSourceState[] = [
  {
    id: 'pagerduty',
    title: 'PagerDuty',
    entityRef: REF,
    status: 'ok',
    fetchedAt: iso(NOW - 30_000),
  },
  {
    id: 'github',
    title: 'GitHub',
    entityRef: REF,
    status: 'stale',
    fetchedAt: iso(NOW - 3 * 3_600_000),
    message: 'Showing what was fetched 3 h ago; refreshing in the background',
  },
  {
    id: 'grafana',
    title: 'Grafana',
    entityRef: REF,
    status: 'refreshing',
    message: 'Fetching for the first time',
  },
  {
    id: 'kibana',
    title: 'Kibana',
    entityRef: REF,
    status: 'rate-limited',
    retryAfter: '2026-03-03T06:05:00Z',
    message: 'Kibana answered 429 Too Many Requests',
  },
  {
    id: 'elasticsearch',
    title: 'Elasticsearch',
    entityRef: REF,
    status: 'timed-out',
    message: 'No answer within 10 s',
  },
  {
    id: 'changes',
    title: 'Changes',
    entityRef: REF,
    status: 'unauthorized',
    message: 'The token was refused (401)',
  },
  {
    id: 'opsgenie',
    title: 'Opsgenie',
    entityRef: REF,
    status: 'error',
    message: 'Opsgenie answered 500',
  },
  {
    id: 'argocd',
    title: 'Argo CD',
    entityRef: REF,
    status: 'not-configured',
    message: 'No Argo CD instance is configured',
  },
  {
    id: 'datadog',
    title: 'Datadog',
    entityRef: REF,
    status: 'not-allowed',
    message:
      "Service 'secret-svc' is not in dash.sources.datadog.allow.services",
  },
];

describe('SourceStatusBar', () => {
  it('covers every status the backend can send', () => {
    expect(new Set(STATES.map(s => s.status))).toEqual(
      new Set(DASH_SOURCE_STATUSES),
    );
  });

  it('shows one chip per source in words, with every message that is not OK', async () => {
    await renderInTestApp(
      <SourceStatusBar
        states={STATES}
        multipleEntities={false}
        now={NOW}
        tz="utc"
        lastUpdated="2026-03-03T06:00:05Z"
      />,
    );
    const expected: [string, string][] = [
      ['PagerDuty: OK', 'ok'],
      ['GitHub: stale, 3 h old', 'stale'],
      ['Grafana: refreshing', 'refreshing'],
      ['Kibana: rate limited, retry after 06:05:00', 'rate-limited'],
      ['Elasticsearch: timed out', 'timed-out'],
      ['Changes: unauthorized', 'unauthorized'],
      ['Opsgenie: error', 'error'],
      ['Argo CD: not configured', 'not-configured'],
      ['Datadog: not allowed', 'not-allowed'],
    ];
    for (const [label, status] of expected) {
      expect(screen.getByLabelText(label)).toHaveAttribute(
        'data-status',
        status,
      );
    }
    const problems = screen.getByRole('list', { name: 'Source problems' });
    const items = within(problems).getAllByRole('listitem');
    expect(items.map(i => i.textContent)).toEqual([
      'GitHub: stale, 3 h old — Showing what was fetched 3 h ago; refreshing in the background',
      'Grafana: refreshing — Fetching for the first time',
      'Kibana: rate limited, retry after 06:05:00 — Kibana answered 429 Too Many Requests',
      'Elasticsearch: timed out — No answer within 10 s',
      'Changes: unauthorized — The token was refused (401)',
      'Opsgenie: error — Opsgenie answered 500',
      'Argo CD: not configured — No Argo CD instance is configured',
      "Datadog: not allowed — Service 'secret-svc' is not in dash.sources.datadog.allow.services",
    ]);
    expect(
      screen.getByText('Last updated 2026-03-03 06:00:05 UTC'),
    ).toBeInTheDocument();
  });

  it('puts the message and last fetch in the chip’s tooltip', async () => {
    await renderInTestApp(
      <SourceStatusBar
        states={STATES}
        multipleEntities={false}
        now={NOW}
        tz="utc"
      />,
    );
    await userEvent.hover(screen.getByLabelText('GitHub: stale, 3 h old'));
    expect(
      await screen.findByText(
        /stale, 3 h old — Showing what was fetched 3 h ago; refreshing in the background \(last fetched 2026-03-03 03:00:00 UTC\)/,
      ),
    ).toBeInTheDocument();
  });

  it('says when a stale source was never fetched, and when no source applies', async () => {
    const { rerender } = await renderInTestApp(
      <SourceStatusBar
        states={[
          { id: 'github', title: 'GitHub', entityRef: REF, status: 'stale' },
        ]}
        multipleEntities={false}
        now={NOW}
        tz="utc"
      />,
    );
    expect(
      screen.getByLabelText('GitHub: stale, never fetched'),
    ).toBeInTheDocument();
    rerender(
      <SourceStatusBar
        states={[]}
        multipleEntities={false}
        now={NOW}
        tz="utc"
      />,
    );
    expect(
      screen.getByText('No source reported a status.'),
    ).toBeInTheDocument();
  });

  it('sums up a source over several entities without hiding any of them', async () => {
    await renderInTestApp(
      <SourceStatusBar
        states={[
          { id: 'github', title: 'GitHub', entityRef: REF, status: 'ok' },
          {
            id: 'github',
            title: 'GitHub',
            entityRef: 'component:default/inventory-service',
            status: 'rate-limited',
            message: 'Rate limit reached',
          },
          { id: 'pagerduty', title: 'PagerDuty', entityRef: REF, status: 'ok' },
        ]}
        multipleEntities
        now={NOW}
        tz="utc"
      />,
    );
    // The chip shows the worst status's icon and counts every state.
    expect(
      screen.getByLabelText('GitHub: 1 OK, 1 rate limited'),
    ).toHaveAttribute('data-status', 'rate-limited');
    expect(screen.getByLabelText('PagerDuty: OK')).toBeInTheDocument();
    expect(
      screen.getByText(
        /\(inventory-service\): rate limited — Rate limit reached/,
      ),
    ).toBeInTheDocument();
  });
});
