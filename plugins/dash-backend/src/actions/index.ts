import { createGetLikelyCausesAction } from './getLikelyCausesAction';
import { createGetRecentDeploysAction } from './getRecentDeploysAction';
import { createGetTimelineAction } from './getTimelineAction';
import { DashActionsOptions } from './shared';
import { createWhoIsOnCallAction } from './whoIsOnCallAction';

export type { DashActionsOptions } from './shared';

/**
 * Registers DASH's actions for AI assistants (`dash:get-timeline`, `dash:get-likely-causes`,
 * `dash:who-is-on-call`, `dash:get-recent-deploys`). Each runs with the caller's credentials
 * through the same TimelineService calls as the REST routes.
 */
export function registerDashActions(options: DashActionsOptions) {
  createGetTimelineAction(options);
  createGetLikelyCausesAction(options);
  createWhoIsOnCallAction(options);
  createGetRecentDeploysAction(options);
}
