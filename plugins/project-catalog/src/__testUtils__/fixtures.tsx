import { Entity } from '@backstage/catalog-model';
import { alertApiRef } from '@backstage/core-plugin-api';
import { ResponseError } from '@backstage/errors';
import {
  catalogApiRef,
  EntityProvider,
  entityRouteRef,
} from '@backstage/plugin-catalog-react';
import { catalogApiMock } from '@backstage/plugin-catalog-react/testUtils';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import { SWRConfig } from 'swr';
import {
  mockApis,
  renderInTestApp,
  TestApiProvider,
} from '@backstage/test-utils';
import { dashApiRef } from '@dash-suite/plugin-dash';
import type { DashApi } from '@dash-suite/plugin-dash-common';
import {
  PROJECT_FIELDS,
  ProjectCatalogApi,
  ProjectFieldState,
  ProjectView,
  readField,
} from '@dash-suite/plugin-project-catalog-common';
import { RenderResult } from '@testing-library/react';
import { ReactElement } from 'react';
import { useLocation } from 'react-router-dom';
import { projectCatalogApiRef } from '../api';
import {
  auditRouteRef,
  campaignsRouteRef,
  createProjectRouteRef,
  discoveryRouteRef,
} from '../routes';

export const PAYMENTS = 'component:default/payments-api';
export const YAML_FILE = 'file:/repo/catalog-info/components.yaml';

/** payments-api as the demo's YAML defines it. */
export function paymentsEntity(
  partial: Partial<Entity['metadata']> = {},
): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name: 'payments-api',
      namespace: 'default',
      description: 'Public API that authorises and captures card payments.',
      labels: { tier: '1' },
      tags: ['go', 'grpc', 'pci'],
      annotations: {
        'backstage.io/managed-by-location': YAML_FILE,
        'github.com/project-slug': 'acme/payments-api',
        'pagerduty.com/service-id': 'PPAYAPI',
      },
      links: [
        {
          url: 'https://github.com/acme/payments-api',
          title: 'Repository',
          icon: 'github',
        },
      ],
      ...partial,
    },
    spec: {
      type: 'service',
      lifecycle: 'production',
      owner: 'group:default/team-payments',
      system: 'payments',
    },
  };
}

/** The project view of an entity: every field it defines owned by YAML, the rest unset. */
export function projectViewOf(
  entity: Entity,
  overrides: Partial<ProjectView> = {},
  fieldOverrides: Record<string, Partial<ProjectFieldState>> = {},
): ProjectView {
  return {
    entityRef: PAYMENTS,
    origin: 'catalog',
    version: 0,
    entity,
    fields: PROJECT_FIELDS.map(field => {
      const value = readField(entity, field);
      let base: ProjectFieldState = { key: field.key, owner: 'unset' };
      if (value !== undefined && field.merge === 'append') {
        base = { key: field.key, owner: 'ui', value };
      } else if (value !== undefined) {
        base = { key: field.key, owner: 'yaml', value, definedIn: YAML_FILE };
      }
      return { ...base, ...fieldOverrides[field.key] };
    }),
    ...overrides,
  };
}

export type MockProjectCatalogApi = jest.Mocked<ProjectCatalogApi>;

export function mockProjectCatalogApi(
  view: ProjectView = projectViewOf(paymentsEntity()),
): MockProjectCatalogApi {
  return {
    getProject: jest.fn(async () => view),
    createProject: jest.fn(),
    updateProject: jest.fn(),
    deleteProject: jest.fn(),
    exportYaml: jest.fn(async () => 'apiVersion: backstage.io/v1alpha1\n'),
    getAudit: jest.fn(async () => ({ entries: [] })),
    listCampaigns: jest.fn(async () => []),
    getCampaign: jest.fn(),
    createCampaign: jest.fn(),
    updateCampaign: jest.fn(),
    deleteCampaign: jest.fn(),
    getCampaignEntities: jest.fn(async () => ({ items: [] })),
    getCampaignHistory: jest.fn(),
    evaluateCampaign: jest.fn(),
    setCampaignManualStatus: jest.fn(),
    clearCampaignManualStatus: jest.fn(),
    setCampaignExemption: jest.fn(),
    clearCampaignExemption: jest.fn(),
    getEntityCampaigns: jest.fn(async () => []),
    getCampaignCheckTypes: jest.fn(async () => []),
    listSuggestions: jest.fn(),
    getDiscoveryStatus: jest.fn(),
    scanDiscovery: jest.fn(),
    actOnSuggestions: jest.fn(),
    pageOnCall: jest.fn(),
  } as unknown as MockProjectCatalogApi;
}

export type MockDashApi = jest.Mocked<DashApi>;

/** A DASH API whose calls answer nothing unless a test says otherwise. */
export function mockDashApi(): MockDashApi {
  return {
    getTimeline: jest.fn(),
    getOnCall: jest.fn(),
    getAlerts: jest.fn(),
    getDeploys: jest.fn(),
    getDora: jest.fn(),
    getLinks: jest.fn(async () => ({
      entityRef: PAYMENTS,
      from: '',
      to: '',
      links: [],
    })),
    exportMarkdown: jest.fn(),
    refresh: jest.fn(),
    postChange: jest.fn(),
  } as unknown as MockDashApi;
}

/** A `ResponseError` as the client throws it for a JSON error answer. */
export async function responseError(
  status: number,
  body: Record<string, unknown>,
): Promise<ResponseError> {
  return ResponseError.fromResponse(
    new Response(JSON.stringify(body), {
      status,
      statusText: status === 409 ? 'Conflict' : 'Error',
      headers: { 'content-type': 'application/json' },
    }) as any,
  );
}

/** Shows the current path and query, so tests can see where a page navigated to. */
export function LocationProbe() {
  const location = useLocation();
  return (
    <>
      <output data-testid="location">{location.pathname}</output>
      <output data-testid="location-search">{location.search}</output>
    </>
  );
}

export interface RenderOptions {
  entity?: Entity;
  api?: ProjectCatalogApi;
  dashApi?: DashApi;
  permission?: 'ALLOW' | 'DENY';
  catalogEntities?: Entity[];
  route?: string;
}

/** Renders a card or page with mocked APIs, inside an entity page of `entity` (payments-api). */
export async function renderWithApis(
  element: ReactElement,
  options: RenderOptions = {},
): Promise<
  RenderResult & {
    api: MockProjectCatalogApi;
    dashApi: MockDashApi;
    alertApi: { post: jest.Mock; alert$: jest.Mock };
  }
> {
  const entity = options.entity ?? paymentsEntity();
  const api = (options.api ?? mockProjectCatalogApi()) as MockProjectCatalogApi;
  const dashApi = (options.dashApi ?? mockDashApi()) as MockDashApi;
  const alertApi = { post: jest.fn(), alert$: jest.fn() };
  const result = await renderInTestApp(
    <TestApiProvider
      apis={[
        [projectCatalogApiRef, api],
        [dashApiRef, dashApi],
        [
          permissionApiRef,
          mockApis.permission({ authorize: options.permission ?? 'ALLOW' }),
        ],
        [
          catalogApiRef,
          catalogApiMock({ entities: options.catalogEntities ?? [] }),
        ],
        [alertApiRef, alertApi],
      ]}
    >
      {/* usePermission keeps answers in SWR's global cache: each render gets its own, so an
          ALLOW from an earlier test in the file never stands in for this test's answer. */}
      <SWRConfig value={{ provider: () => new Map() }}>
        <EntityProvider entity={entity}>{element}</EntityProvider>
        <LocationProbe />
      </SWRConfig>
    </TestApiProvider>,
    {
      routeEntries: [options.route ?? '/'],
      mountedRoutes: {
        '/catalog/:namespace/:kind/:name': entityRouteRef,
        '/project-catalog/create': createProjectRouteRef,
        '/project-catalog/campaigns': campaignsRouteRef,
        '/project-catalog/discovery': discoveryRouteRef,
        '/project-catalog/audit': auditRouteRef,
      },
    },
  );
  return { ...result, api, dashApi, alertApi };
}
