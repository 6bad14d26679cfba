import { stringifyEntityRef } from '@backstage/catalog-model';
import { useEntity } from '@backstage/plugin-catalog-react';
import { useMemo } from 'react';
import { DashTimeline } from '../DashTimeline';

/**
 * The DASH tab of an entity page: the entity's timeline.
 *
 * @public
 */
export function EntityDashContent() {
  const { entity } = useEntity();
  const ref = stringifyEntityRef(entity);
  const entityRefs = useMemo(() => [ref], [ref]);
  return <DashTimeline entityRefs={entityRefs} />;
}
