import {
  ApiBlueprint,
  PageBlueprint,
  createFrontendPlugin,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/frontend-plugin-api';
import { EntityContentBlueprint } from '@backstage/plugin-catalog-react/alpha';
import {
  SearchFilterResultTypeBlueprint,
  SearchResultListItemBlueprint,
} from '@backstage/plugin-search-react/alpha';
import { convertLegacyRouteRef } from '@backstage/core-compat-api';
import { Content } from '@backstage/core-components';
import {
  DASH_SEARCH_TYPE,
  DashClient,
  hasDashAnnotation,
} from '@dash-suite/plugin-dash-common';
import TimelineIcon from '@material-ui/icons/Timeline';
import { dashApiRef } from './api';
import { rootRouteRef } from './routes';

/** @alpha */
export const dashApi = ApiBlueprint.make({
  params: defineParams =>
    defineParams({
      api: dashApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) =>
        new DashClient({ discoveryApi, fetchApi }),
    }),
});

/** The "DASH" tab on entity pages of entities with at least one source annotation. @alpha */
export const dashEntityContent = EntityContentBlueprint.make({
  params: {
    path: 'dash',
    title: 'DASH',
    filter: entity => hasDashAnnotation(entity),
    loader: () =>
      import('./components/EntityDashContent').then(m => (
        <m.EntityDashContent />
      )),
  },
});

const dashRouteRef = convertLegacyRouteRef(rootRouteRef);

/** The DASH page at `/dash`: several services on one timeline. @alpha */
export const dashPage = PageBlueprint.make({
  params: {
    path: '/dash',
    title: 'DASH',
    icon: <TimelineIcon />,
    routeRef: dashRouteRef,
    loader: () =>
      import('./components/DashPage').then(m => (
        <Content>
          <m.DashPageContent />
        </Content>
      )),
  },
});

/**
 * DASH events in search results (documents of type `dash`, from
 * `@dash-suite/plugin-search-backend-module-dash`): kind, entity, version, environment and time,
 * linking the DASH tab at the event. @alpha
 */
export const dashSearchResultListItem = SearchResultListItemBlueprint.make({
  params: {
    predicate: result => result.type === DASH_SEARCH_TYPE,
    component: () =>
      import('./components/DashSearchResultListItem').then(
        m => m.DashSearchResultListItem,
      ),
  },
});

/** "DASH" among the search page's result types, to show DASH events only. @alpha */
export const dashSearchResultType = SearchFilterResultTypeBlueprint.make({
  params: {
    value: DASH_SEARCH_TYPE,
    name: 'DASH',
    icon: <TimelineIcon />,
  },
});

/**
 * The DASH plugin for the new frontend system: the entity tab, the page and the API.
 *
 * @alpha
 */
export default createFrontendPlugin({
  pluginId: 'dash',
  title: 'DASH',
  icon: <TimelineIcon />,
  info: { packageJson: () => import('../package.json') },
  routes: { root: dashRouteRef },
  extensions: [
    dashApi,
    dashEntityContent,
    dashPage,
    dashSearchResultListItem,
    dashSearchResultType,
  ],
});
