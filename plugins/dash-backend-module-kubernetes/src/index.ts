/**
 * DASH source module for Kubernetes: Deployment rollouts, rollbacks, scale changes and pod
 * trouble per workload.
 *
 * @packageDocumentation
 */
export { dashModuleKubernetes as default } from './module';
export { KubernetesSource } from './KubernetesSource';
export { readKubernetesSettings } from './config';
export type { KubernetesSettings, KubernetesCluster } from './config';
export {
  ANNOTATION_KUBERNETES_ID,
  ANNOTATION_KUBERNETES_LABEL_SELECTOR,
  ANNOTATION_KUBERNETES_NAMESPACE,
} from './target';
