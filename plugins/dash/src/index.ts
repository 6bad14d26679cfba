/**
 * DASH: a service's PagerDuty, Grafana, Kibana and GitHub events on one timeline, as an entity
 * page tab and as a page for several services. This entry point serves the legacy frontend
 * system; the new frontend system's plugin is the default export of `/alpha`.
 *
 * @packageDocumentation
 */
export {
  dashPlugin,
  DashPage,
  EntityDashContent,
  isDashAvailable,
} from './plugin';
export { dashApiRef } from './api';
export { rootRouteRef as dashRouteRef } from './routes';
export { DashTimeline } from './components/DashTimeline';
export type { DashTimelineProps } from './components/DashTimeline';
export { DashSearchResultListItem } from './components/DashSearchResultListItem';
export type { DashSearchResultListItemProps } from './components/DashSearchResultListItem';
