import type {
  DashAlertsResponse,
  DashApi,
  DashTimelineResponse,
} from '@dash-suite/plugin-dash-common';
import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import {
  DAY,
  HOUR,
  MIN,
  REF,
  ago,
  event,
  mockDashApi,
  renderCard,
  source,
} from '../cardStates/__testUtils__/dashCards';
import { AlertsCard } from './AlertsCard';

const firing = event({
  id: 'grafana:firing:fp1',
  source: 'grafana',
  kind: 'alert',
  title: 'p99 latency above 2 s',
  severity: 'error',
  status: 'firing',
  startTime: ago(12 * MIN),
  url: 'https://grafana.example.com/alerting/grafana/r1/view',
  attributes: { ruleUid: 'r1' },
});
const episode = event({
  id: 'grafana:alert:r1:77',
  source: 'grafana',
  kind: 'alert',
  title: 'p99 latency above 2 s',
  severity: 'error',
  status: 'firing',
  startTime: ago(13 * MIN),
  attributes: { ruleUid: 'r1' },
});
const incident = event({
  id: 'pagerduty:incident:Q1',
  source: 'pagerduty',
  kind: 'incident',
  title: 'High 5xx rate on payments-api',
  severity: 'critical',
  status: 'triggered',
  startTime: ago(2 * HOUR),
  // A script URL, which must never become a link.
  url: ['javascript', 'alert(1)'].join(':'),
});
const resolved = event({
  id: 'pagerduty:incident:Q0',
  source: 'pagerduty',
  kind: 'incident',
  title: 'Yesterday’s outage',
  severity: 'critical',
  status: 'resolved',
  startTime: ago(DAY),
  endTime: ago(DAY - HOUR),
});

const alertsResponse = (
  p: Partial<DashAlertsResponse> = {},
): DashAlertsResponse => ({
  entityRef: REF,
  alerts: [firing],
  sources: [source({ id: 'grafana', title: 'Grafana' })],
  ...p,
});
const timelineResponse = (
  p: Partial<DashTimelineResponse> = {},
): DashTimelineResponse => ({
  entityRefs: [REF],
  dependencyRefs: [],
  from: ago(7 * DAY),
  to: ago(0),
  events: [resolved, incident, episode],
  relatedEvents: [],
  sources: [
    source({ id: 'pagerduty', title: 'PagerDuty' }),
    source({
      id: 'github',
      title: 'GitHub',
      status: 'error',
      message: 'not relevant here',
    }),
  ],
  correlations: [],
  generatedAt: ago(0),
  ...p,
});

function api(methods: Partial<Record<keyof DashApi, jest.Mock>> = {}) {
  return mockDashApi({
    getAlerts: jest.fn(async () => alertsResponse()),
    getTimeline: jest.fn(async () => timelineResponse()),
    ...methods,
  });
}

const rows = () =>
  within(
    screen.getByRole('list', { name: 'Firing alerts and open incidents' }),
  ).getAllByRole('listitem');

describe('AlertsCard', () => {
  it('shows a loading state while the backend answers', async () => {
    await renderCard(<AlertsCard />);
    expect(
      screen.getByRole('status', { name: 'Loading alerts' }),
    ).toBeInTheDocument();
  });

  it('lists firing alerts and open incidents, most severe first, with age', async () => {
    const dash = api();
    await renderCard(<AlertsCard />, { api: dash });
    await screen.findByRole('list', {
      name: 'Firing alerts and open incidents',
    });
    expect(dash.getAlerts).toHaveBeenCalledWith(REF);
    const query = dash.getTimeline.mock.calls[0][0];
    expect(query).toMatchObject({
      entityRefs: [REF],
      kinds: ['incident', 'alert'],
    });
    expect(+new Date(query.to) - +new Date(query.from)).toBe(7 * DAY);

    const [first, second] = rows();
    expect(rows()).toHaveLength(2);
    expect(within(first).getByText('critical')).toBeInTheDocument();
    expect(
      within(first).getByText('PagerDuty incident, triggered for 2 h'),
    ).toBeInTheDocument();
    expect(within(first).queryByRole('link', { name: /open in/ })).toBeNull();
    expect(within(second).getByText('error')).toBeInTheDocument();
    expect(
      within(second).getByText('Grafana alert, firing for 12 min'),
    ).toBeInTheDocument();
    expect(
      within(second).getByRole('link', { name: /^open in Grafana/ }),
    ).toHaveAttribute(
      'href',
      'https://grafana.example.com/alerting/grafana/r1/view',
    );
    expect(screen.queryByText('Yesterday’s outage')).toBeNull();
    // Only the sources that feed this card are reported.
    expect(screen.queryByText(/not relevant here/)).toBeNull();
  });

  it('links each problem into the DASH tab with its timeline event selected', async () => {
    await renderCard(<AlertsCard />, { api: api() });
    await screen.findByRole('list', {
      name: 'Firing alerts and open incidents',
    });
    const href = (name: string) => {
      const url = new URL(
        screen.getByRole('link', { name }).getAttribute('href')!,
        'http://backstage',
      );
      return { path: url.pathname, params: url.searchParams };
    };
    const incidentLink = href('High 5xx rate on payments-api');
    expect(incidentLink.path).toBe(
      '/catalog/default/component/payments-api/dash',
    );
    expect(incidentLink.params.get('event')).toBe('pagerduty:incident:Q1');
    const from = Date.parse(incidentLink.params.get('from')!);
    const to = Date.parse(incidentLink.params.get('to')!);
    expect(from).toBeLessThan(Date.parse(incident.startTime));
    expect(to).toBeGreaterThan(Date.parse(incident.startTime));
    // Grafana's firing alert has another id than its episode on the timeline.
    expect(href('p99 latency above 2 s').params.get('event')).toBe(
      'grafana:alert:r1:77',
    );
  });

  it('links to the window alone when the alert is not on the timeline yet', async () => {
    await renderCard(<AlertsCard />, {
      api: api({
        getTimeline: jest.fn(async () => timelineResponse({ events: [] })),
      }),
    });
    const link = await screen.findByRole('link', {
      name: 'p99 latency above 2 s',
    });
    const params = new URL(link.getAttribute('href')!, 'http://x').searchParams;
    expect(params.get('event')).toBeNull();
    expect(params.get('from')).toBeTruthy();
  });

  it('asks for the widest window the backend allows when 7 days is too wide', async () => {
    const tooWide = Object.assign(
      new Error('Request failed with 400 Bad Request'),
      {
        body: {
          error: {
            message: 'to: the window is 7 days; the widest allowed is 3 days',
          },
        },
      },
    );
    const getTimeline = jest
      .fn()
      .mockRejectedValueOnce(tooWide)
      .mockResolvedValueOnce(timelineResponse());
    await renderCard(<AlertsCard />, { api: api({ getTimeline }) });
    await screen.findByText('High 5xx rate on payments-api');
    const query = getTimeline.mock.calls[1][0];
    expect(+new Date(query.to) - +new Date(query.from)).toBe(3 * DAY);
  });

  it('says when nothing is firing', async () => {
    await renderCard(<AlertsCard />, {
      api: api({
        getAlerts: jest.fn(async () => alertsResponse({ alerts: [] })),
        getTimeline: jest.fn(async () =>
          timelineResponse({ events: [resolved] }),
        ),
      }),
    });
    expect(
      await screen.findByText('Nothing is firing and no incident is open.'),
    ).toBeInTheDocument();
  });

  it('says when no alert source applies to the entity', async () => {
    await renderCard(<AlertsCard />, {
      api: api({
        getAlerts: jest.fn(async () =>
          alertsResponse({ alerts: [], sources: [] }),
        ),
        getTimeline: jest.fn(async () =>
          timelineResponse({ events: [], sources: [] }),
        ),
      }),
    });
    expect(
      await screen.findByText('No alert source applies to this entity.'),
    ).toBeInTheDocument();
  });

  it('shows a degraded source with its age and keeps what it has', async () => {
    await renderCard(<AlertsCard />, {
      api: api({
        getTimeline: jest.fn(async () =>
          timelineResponse({
            sources: [
              source({
                id: 'pagerduty',
                title: 'PagerDuty',
                status: 'rate-limited',
                fetchedAt: ago(4 * MIN),
              }),
            ],
          }),
        ),
      }),
    });
    expect(
      await screen.findByText(/PagerDuty rate limited, data from 4 min ago/),
    ).toBeInTheDocument();
    expect(rows()).toHaveLength(2);
  });

  it('shows what one request brought when the other failed', async () => {
    await renderCard(<AlertsCard />, {
      api: api({
        getAlerts: jest.fn(async () => Promise.reject(new Error('503'))),
      }),
    });
    expect(
      await screen.findByText('Could not load firing alerts: 503'),
    ).toBeInTheDocument();
    expect(
      screen.getByText('High 5xx rate on payments-api'),
    ).toBeInTheDocument();
  });

  it('keeps an error inside the card and retries on demand', async () => {
    const getAlerts = jest
      .fn()
      .mockRejectedValueOnce(new Error('Request failed with 500'))
      .mockResolvedValue(alertsResponse());
    const getTimeline = jest
      .fn()
      .mockRejectedValueOnce(new Error('Request failed with 500'))
      .mockResolvedValue(timelineResponse());
    await renderCard(<AlertsCard />, { api: api({ getAlerts, getTimeline }) });
    expect(
      await screen.findByText('Could not load alerts: Request failed with 500'),
    ).toBeInTheDocument();
    await userEvent.click(screen.getByRole('button', { name: 'Retry' }));
    expect(
      await screen.findByText('High 5xx rate on payments-api'),
    ).toBeInTheDocument();
  });
});
