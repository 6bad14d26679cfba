import { alertApiRef, useApi } from '@backstage/core-plugin-api';
import { usePermission } from '@backstage/plugin-permission-react';
import { dashRefreshPermission } from '@dash-suite/plugin-dash-common';
import { useState } from 'react';
import { dashApiRef } from '../../api';
import { TimelineResult } from '../../hooks/useTimeline';

/**
 * Refreshes every shown entity now, for those allowed to spend the upstreams' budget: the
 * states each refresh answers with go on screen at once, then the timeline reloads.
 */
export function useRefreshAll(
  entityRefs: string[],
  timeline: Pick<TimelineResult, 'mergeSources' | 'reload'>,
) {
  const api = useApi(dashApiRef);
  const alertApi = useApi(alertApiRef);
  const permission = usePermission({ permission: dashRefreshPermission });
  const [refreshing, setRefreshing] = useState(false);
  const onRefresh = async () => {
    setRefreshing(true);
    const results = await Promise.allSettled(
      entityRefs.map(ref => api.refresh(ref)),
    );
    for (const r of results) {
      if (r.status === 'fulfilled') timeline.mergeSources(r.value.sources);
      else
        alertApi.post({
          message: `Refresh failed: ${(r.reason as Error).message}`,
          severity: 'error',
        });
    }
    setRefreshing(false);
    timeline.reload();
  };
  return {
    /** Undefined while the permission is being checked. */
    allowed: permission.loading ? undefined : permission.allowed,
    refreshing,
    onRefresh,
  };
}
