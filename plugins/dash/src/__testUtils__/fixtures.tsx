import {
  alertApiRef,
  storageApiRef,
  StorageApi,
} from '@backstage/core-plugin-api';
import { entityRouteRef } from '@backstage/plugin-catalog-react';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import { SignalApi, signalApiRef } from '@backstage/plugin-signals-react';
import {
  mockApis,
  renderInTestApp,
  TestApiProvider,
} from '@backstage/test-utils';
import type {
  DashApi,
  DashCorrelation,
  DashEvent,
  DashShippedChange,
  DashSourceState,
  DashTimelineResponse,
} from '@dash-suite/plugin-dash-common';
import { RenderResult } from '@testing-library/react';
import { ReactElement } from 'react';
import { useLocation } from 'react-router-dom';
import { dashApiRef } from '../api';

export const PAYMENTS = 'component:default/payments-api';
export const INVENTORY = 'component:default/inventory-service';

/** The window of the fixture: 3 March 2026, 00:00 to 06:00 UTC. */
export const FROM = Date.parse('2026-03-03T00:00:00Z');
export const TO = Date.parse('2026-03-03T06:00:00Z');
export const WINDOW_QUERY = 'from=2026-03-03T00:00:00Z&to=2026-03-03T06:00:00Z';

export function event(partial: Partial<DashEvent> & { id: string }): DashEvent {
  return {
    source: 'github',
    kind: 'deploy',
    title: partial.id,
    severity: 'info',
    startTime: '2026-03-03T01:00:00Z',
    entityRef: PAYMENTS,
    attributes: {},
    ...partial,
  };
}

export const deploy = event({
  id: 'github:deploy-1',
  source: 'github',
  kind: 'deploy',
  title: 'Deploy payments-api v2.14.0 to production',
  startTime: '2026-03-03T02:10:00Z',
  status: 'success',
  actor: { name: 'Ada Lovelace', url: 'https://github.example/ada' },
  url: 'https://github.example/acme/payments-api/deployments/1',
  attributes: { environment: 'production', version: 'v2.14.0', priority: null },
});
export const pullRequest = event({
  id: 'github:pr-7',
  source: 'github',
  kind: 'pull-request',
  title: 'Raise connection pool timeout',
  startTime: '2026-03-03T01:30:00Z',
});
export const flag = event({
  id: 'changes:flag-1',
  source: 'changes',
  kind: 'change',
  title: 'Feature flag checkout-v2 on',
  startTime: '2026-03-03T01:55:00Z',
});
export const incident = event({
  id: 'pagerduty:INC1',
  source: 'pagerduty',
  kind: 'incident',
  title: 'High 5xx rate on payments-api',
  severity: 'critical',
  startTime: '2026-03-03T02:25:00Z',
  endTime: '2026-03-03T03:05:00Z',
  status: 'resolved',
  // A script URL, which must never become a link (spelled so that lint lets the fixture be).
  url: ['javascript', 'alert(1)'].join(':'),
});
export const alert = event({
  id: 'grafana:alert-1',
  source: 'grafana',
  kind: 'alert',
  title: 'p99 latency above 2 s',
  severity: 'error',
  startTime: '2026-03-03T02:20:00Z',
  status: 'firing',
});
export const logSpike = event({
  id: 'kibana:spike-1',
  source: 'kibana',
  kind: 'log-spike',
  title: 'Error logs spiked to 120 per minute',
  severity: 'warning',
  startTime: '2026-03-03T02:22:00Z',
});
/** A change on a dependency: in `relatedEvents`, or in `events` with includeDependencies. */
export const dependencyDeploy = event({
  id: 'github:inventory-deploy-9',
  source: 'github',
  kind: 'deploy',
  title: 'Deploy inventory-service v9.1.0',
  startTime: '2026-03-03T02:00:00Z',
  entityRef: INVENTORY,
});

/**
 * A mitigation after the incident's onset. Not in the default answer's events (the correlation
 * points at it all the same, as when the backend could not add it); tests that want it add it.
 */
export const flagOff = event({
  id: 'changes:flag-2',
  source: 'changes',
  kind: 'change',
  title: 'Feature flag checkout-v2 off',
  startTime: '2026-03-03T02:50:00Z',
});

/** The deploy's shipped changes: the merged pull request on the timeline, one that is not, a commit. */
export const deployShipped: DashShippedChange[] = [
  {
    kind: 'pull-request',
    title: pullRequest.title,
    eventId: pullRequest.id,
    number: 7,
    url: 'https://github.example/acme/payments-api/pull/7',
  },
  {
    kind: 'pull-request',
    title: 'Retry card authorisations once',
    number: 9,
    url: 'https://github.example/acme/payments-api/pull/9',
  },
  { kind: 'commit', title: 'Fix a typo in the README', sha: '0a1b2c3d4e5f' },
];

export const incidentCorrelation: DashCorrelation = {
  eventId: incident.id,
  lookbackFrom: '2026-03-03T00:20:00Z',
  // The look-back ends at the onset: the latency alert 5 min before the page.
  lookbackTo: alert.startTime,
  onset: {
    time: alert.startTime,
    eventId: alert.id,
    signalIds: [alert.id, logSpike.id, incident.id],
    summary: 'p99 latency on payments-api rose 5 min before the incident',
  },
  verdict: 'ranked',
  summary: '3 changes in the 2 h before the incident.',
  candidates: [
    {
      eventId: flag.id,
      entityRef: PAYMENTS,
      relation: 'self',
      score: 0.41,
      reasons: ['Changed 30 min before the incident'],
    },
    {
      eventId: deploy.id,
      entityRef: PAYMENTS,
      relation: 'self',
      score: 0.82,
      reasons: [
        'Production deploy 15 min before the incident',
        'Error rate rose right after it',
      ],
      shipped: deployShipped,
    },
    {
      eventId: dependencyDeploy.id,
      entityRef: INVENTORY,
      relation: 'dependency',
      score: 0.3,
      reasons: ['payments-api depends on inventory-service'],
    },
  ],
  afterOnset: [
    {
      eventId: flagOff.id,
      entityRef: PAYMENTS,
      reasons: [
        'Came 30 min after the problem began; the incident resolved 15 min later: likely a mitigation',
      ],
    },
  ],
};
export const alertCorrelation: DashCorrelation = {
  eventId: alert.id,
  lookbackFrom: '2026-03-03T00:20:00Z',
  lookbackTo: '2026-03-03T02:20:00Z',
  // Nothing anomalous came before the alert: it is its own onset.
  onset: {
    time: alert.startTime,
    eventId: alert.id,
    signalIds: [alert.id],
    summary: 'The problem began with this alert',
  },
  verdict: 'nothing-plausible',
  summary: 'No change in the 2 h before this alert looks related.',
  candidates: [],
  afterOnset: [],
};

export function sourceStates(now = Date.now()): DashSourceState[] {
  const iso = (t: number) => new Date(t).toISOString();
  return [
    {
      id: 'pagerduty',
      title: 'PagerDuty',
      entityRef: PAYMENTS,
      status: 'ok',
      fetchedAt: iso(now - 60_000),
    },
    {
      id: 'github',
      title: 'GitHub',
      entityRef: PAYMENTS,
      status: 'ok',
      fetchedAt: iso(now - 60_000),
    },
    {
      id: 'grafana',
      title: 'Grafana',
      entityRef: PAYMENTS,
      status: 'ok',
      fetchedAt: iso(now - 60_000),
    },
    {
      id: 'kibana',
      title: 'Kibana',
      entityRef: PAYMENTS,
      status: 'ok',
      fetchedAt: iso(now - 60_000),
    },
    {
      id: 'changes',
      title: 'Changes',
      entityRef: PAYMENTS,
      status: 'ok',
      fetchedAt: iso(now - 60_000),
    },
  ];
}

export function timelineResponse(
  partial: Partial<DashTimelineResponse> = {},
): DashTimelineResponse {
  return {
    entityRefs: [PAYMENTS],
    dependencyRefs: [],
    from: new Date(FROM).toISOString(),
    to: new Date(TO).toISOString(),
    events: [pullRequest, flag, deploy, alert, logSpike, incident],
    relatedEvents: [dependencyDeploy],
    sources: sourceStates(),
    correlations: [incidentCorrelation, alertCorrelation],
    generatedAt: '2026-03-03T06:00:05Z',
    ...partial,
  };
}

export type MockDashApi = jest.Mocked<DashApi>;

export function mockDashApi(
  response:
    | DashTimelineResponse
    | (() => Promise<DashTimelineResponse>) = timelineResponse(),
): MockDashApi {
  return {
    getTimeline: jest.fn(
      typeof response === 'function' ? response : async () => response,
    ),
    getOnCall: jest.fn(),
    getAlerts: jest.fn(),
    getDeploys: jest.fn(),
    getDora: jest.fn(),
    getLinks: jest.fn(async () => ({
      entityRef: '',
      from: '',
      to: '',
      links: [],
    })),
    exportMarkdown: jest.fn(async () => '# Timeline\n'),
    refresh: jest.fn(async () => ({ sources: [] })),
    postChange: jest.fn(),
    getSettings: jest.fn(async () => ({ maxWindowDays: 31 })),
  } as unknown as MockDashApi;
}

/** Shows the current path and query, so tests can read the URL state. */
export function LocationProbe() {
  const location = useLocation();
  return (
    <output data-testid="location">{`${location.pathname}${location.search}`}</output>
  );
}

/** The URL's query as URLSearchParams, read from the probe. */
export function currentParams(container: HTMLElement = document.body) {
  const text =
    container.querySelector('[data-testid="location"]')?.textContent ?? '';
  return new URLSearchParams(text.split('?')[1] ?? '');
}

export interface RenderOptions {
  api?: DashApi;
  permission?: 'ALLOW' | 'DENY';
  storage?: StorageApi;
  route?: string;
  alertApi?: { post: jest.Mock; alert$: jest.Mock };
  /** Backstage Signals in the app (none unless given). */
  signalApi?: SignalApi;
}

export function mockAlertApi() {
  return { post: jest.fn(), alert$: jest.fn() };
}

export async function renderWithApis(
  element: ReactElement,
  options: RenderOptions = {},
): Promise<
  RenderResult & {
    api: MockDashApi;
    alertApi: ReturnType<typeof mockAlertApi>;
    storage: StorageApi;
  }
> {
  const api = (options.api ?? mockDashApi()) as MockDashApi;
  const alertApi = options.alertApi ?? mockAlertApi();
  const storage = options.storage ?? mockApis.storage();
  const result = await renderInTestApp(
    <TestApiProvider
      apis={[
        [dashApiRef, api],
        [
          permissionApiRef,
          mockApis.permission({ authorize: options.permission ?? 'ALLOW' }),
        ],
        [storageApiRef, storage],
        [alertApiRef, alertApi],
        ...(options.signalApi
          ? ([[signalApiRef, options.signalApi]] as const)
          : []),
      ]}
    >
      {element}
      <LocationProbe />
    </TestApiProvider>,
    {
      routeEntries: [options.route ?? `/dash?${WINDOW_QUERY}`],
      mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef },
    },
  );
  return { ...result, api, alertApi, storage };
}

/** A stand-in for Backstage Signals: `emit` delivers a message to the channel's subscribers. */
export function mockSignalApi() {
  const subscribers = new Map<string, Set<(message: any) => void>>();
  const api = {
    subscribe: jest.fn((channel: string, onMessage: (message: any) => void) => {
      const set = subscribers.get(channel) ?? new Set();
      set.add(onMessage);
      subscribers.set(channel, set);
      return { unsubscribe: () => set.delete(onMessage) };
    }),
    emit(channel: string, message: Record<string, unknown>) {
      for (const s of subscribers.get(channel) ?? []) s(message);
    },
    channels: () =>
      [...subscribers.entries()].filter(([, s]) => s.size > 0).map(([c]) => c),
  };
  return api;
}
