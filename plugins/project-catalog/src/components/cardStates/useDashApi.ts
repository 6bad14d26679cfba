import { useApiHolder } from '@backstage/core-plugin-api';
import { dashApiRef } from '@dash-suite/plugin-dash';
import type { DashApi } from '@dash-suite/plugin-dash-common';

/**
 * The DASH API, or undefined when the app has not installed `@dash-suite/plugin-dash` (whose
 * plugin registers it). The cards then say so instead of failing.
 */
export function useDashApi(): DashApi | undefined {
  return useApiHolder().get(dashApiRef);
}
