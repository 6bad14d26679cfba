/*
 * The `backstage.io/kubernetes-id` annotation of the demo's runnable components: the services
 * and websites deploy to the simulated cluster, labelled with their entity name (the Kubernetes
 * plugin's convention). A component that names its own id keeps it.
 */
import { ScenarioService } from '../types';

export const ANNOTATION_KUBERNETES_ID = 'backstage.io/kubernetes-id';

const RUNNABLE = new Set(['service', 'website']);

export function withKubernetesId(service: ScenarioService): ScenarioService {
  if (
    !RUNNABLE.has(service.type) ||
    service.annotations[ANNOTATION_KUBERNETES_ID]
  )
    return service;
  return {
    ...service,
    annotations: {
      ...service.annotations,
      [ANNOTATION_KUBERNETES_ID]: service.name,
    },
  };
}
