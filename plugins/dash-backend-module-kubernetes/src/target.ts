import { Entity } from '@backstage/catalog-model';

import {
  ANNOTATION_KUBERNETES_ID,
  ANNOTATION_KUBERNETES_LABEL_SELECTOR,
} from '@dash-suite/plugin-dash-common';

export { ANNOTATION_KUBERNETES_ID, ANNOTATION_KUBERNETES_LABEL_SELECTOR };
/** The Kubernetes plugin's namespace annotation (optional; without it, all namespaces). */
export const ANNOTATION_KUBERNETES_NAMESPACE =
  'backstage.io/kubernetes-namespace';

/** What to read for an entity: its workloads' label selector, and the namespace (or all). */
export interface KubernetesTarget {
  labelSelector: string;
  namespace?: string;
}

/** A label value (what `backstage.io/kubernetes-id` must be). */
const LABEL_VALUE = /^[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/;
/** A namespace name (an RFC 1123 label). */
const NAMESPACE = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
/** What a label selector is written with; anything else is refused before a call. */
const SELECTOR = /^[A-Za-z0-9_.\-/=!,() ]{1,500}$/;

export function appliesTo(entity: Entity): boolean {
  const a = entity.metadata.annotations ?? {};
  return Boolean(
    a[ANNOTATION_KUBERNETES_ID]?.trim() ||
      a[ANNOTATION_KUBERNETES_LABEL_SELECTOR]?.trim(),
  );
}

/**
 * The entity's target: `backstage.io/kubernetes-label-selector` when set (it overrides the
 * id, as in the Kubernetes plugin), else `backstage.io/kubernetes-id=<id>`; the namespace
 * from `backstage.io/kubernetes-namespace`, else all namespaces.
 */
export function readTarget(entity: Entity): {
  target?: KubernetesTarget;
  problem?: string;
} {
  const a = entity.metadata.annotations ?? {};
  const selector = a[ANNOTATION_KUBERNETES_LABEL_SELECTOR]?.trim();
  const id = a[ANNOTATION_KUBERNETES_ID]?.trim();
  let labelSelector: string;
  if (selector) {
    if (!SELECTOR.test(selector))
      return {
        problem: `The ${ANNOTATION_KUBERNETES_LABEL_SELECTOR} annotation is not a label selector (letters, digits, '-_./=!,()' and spaces, at most 500)`,
      };
    labelSelector = selector;
  } else if (id) {
    if (!LABEL_VALUE.test(id))
      return {
        problem: `The ${ANNOTATION_KUBERNETES_ID} annotation '${id.slice(
          0,
          80,
        )}' is not a label value (at most 63 letters, digits, '-', '_' and '.')`,
      };
    labelSelector = `${ANNOTATION_KUBERNETES_ID}=${id}`;
  } else {
    return {
      problem: `The entity has neither ${ANNOTATION_KUBERNETES_ID} nor ${ANNOTATION_KUBERNETES_LABEL_SELECTOR}`,
    };
  }
  const namespace = a[ANNOTATION_KUBERNETES_NAMESPACE]?.trim() || undefined;
  if (namespace && !NAMESPACE.test(namespace))
    return {
      problem: `The ${ANNOTATION_KUBERNETES_NAMESPACE} annotation '${namespace.slice(
        0,
        80,
      )}' is not a namespace name`,
    };
  return { target: { labelSelector, namespace } };
}
