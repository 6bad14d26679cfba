/* Test scaffolding for the DASH-backed cards; imported by tests only. */
import { Entity } from '@backstage/catalog-model';
import {
  EntityProvider,
  entityRouteRef,
} from '@backstage/plugin-catalog-react';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { dashApiRef } from '@dash-suite/plugin-dash';
import type {
  DashApi,
  DashEvent,
  DashSourceState,
} from '@dash-suite/plugin-dash-common';
import { ReactElement } from 'react';

export const REF = 'component:default/payments-api';
export const NOW = Date.now();
export const ago = (ms: number) => new Date(NOW - ms).toISOString();
export const MIN = 60_000;
export const HOUR = 60 * MIN;
export const DAY = 24 * HOUR;

export function entity(annotations: Record<string, string> = {}): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name: 'payments-api', namespace: 'default', annotations },
    spec: { type: 'service', lifecycle: 'production', owner: 'group:payments' },
  };
}

export function source(
  partial: Partial<DashSourceState> & { id: string },
): DashSourceState {
  return {
    title: partial.id,
    entityRef: REF,
    status: 'ok',
    fetchedAt: ago(30_000),
    ...partial,
  };
}

export function event(partial: Partial<DashEvent> & { id: string }): DashEvent {
  return {
    source: 'github',
    kind: 'deploy',
    title: partial.id,
    severity: 'info',
    startTime: ago(HOUR),
    entityRef: REF,
    attributes: {},
    ...partial,
  };
}

/** A DashApi whose every method is a jest mock; pass the ones a test needs. */
export function mockDashApi(
  methods: Partial<Record<keyof DashApi, jest.Mock>> = {},
): jest.Mocked<DashApi> {
  const never = () => jest.fn(() => new Promise<never>(() => {}));
  return {
    getTimeline: never(),
    getOnCall: never(),
    getAlerts: never(),
    getDeploys: never(),
    getDora: never(),
    getLinks: never(),
    exportMarkdown: never(),
    refresh: never(),
    postChange: never(),
    ...methods,
  } as unknown as jest.Mocked<DashApi>;
}

/** Renders a card on an entity page, with the DASH API (or without it, for `api: null`). */
export async function renderCard(
  element: ReactElement,
  options: { api?: DashApi | null; entity?: Entity } = {},
) {
  const api = options.api === undefined ? mockDashApi() : options.api;
  const content = (
    <EntityProvider entity={options.entity ?? entity()}>
      {element}
    </EntityProvider>
  );
  return renderInTestApp(
    api ? (
      <TestApiProvider apis={[[dashApiRef, api]]}>{content}</TestApiProvider>
    ) : (
      content
    ),
    {
      routeEntries: ['/catalog/default/component/payments-api'],
      mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef },
    },
  );
}
