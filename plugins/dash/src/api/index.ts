import { createApiRef } from '@backstage/core-plugin-api';
import type { DashApi } from '@dash-suite/plugin-dash-common';

/**
 * The DASH backend client. Both frontend systems register `DashClient` from
 * `@dash-suite/plugin-dash-common` for it (see `dashPlugin` and the `/alpha` plugin).
 *
 * @public
 */
export const dashApiRef = createApiRef<DashApi>({ id: 'plugin.dash.api' });
