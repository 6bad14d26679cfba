/*
 * Labels, pod templates and images of the simulated cluster's workloads.
 */
import { ANNOTATION_KUBERNETES_ID } from '../../scenario/kubernetesId';
import { ScenarioService } from '../../types';

export const IMAGE_REPOSITORY = 'registry.acme.example/acme';

export function image(svc: ScenarioService, ref: string): string {
  return `${IMAGE_REPOSITORY}/${svc.name}:${ref}`;
}

export function labels(
  svc: ScenarioService,
  hash?: string,
): Record<string, string> {
  return {
    app: svc.name,
    'app.kubernetes.io/name': svc.name,
    [ANNOTATION_KUBERNETES_ID]: svc.annotations[ANNOTATION_KUBERNETES_ID],
    ...(hash ? { 'pod-template-hash': hash } : {}),
  };
}

export function podTemplate(svc: ScenarioService, ref: string, hash?: string) {
  return {
    metadata: { labels: labels(svc, hash) },
    spec: {
      containers: [
        {
          name: svc.name,
          image: image(svc, ref),
          ports: [{ containerPort: 8080, protocol: 'TCP' }],
          resources: { limits: { memory: '512Mi' } },
        },
      ],
    },
  };
}

/** The namespace of a service's workload: its system's name. */
export function kubeNamespace(svc: ScenarioService): string {
  return svc.system ?? 'default';
}

/** Replicas of a service's Deployment before any scale change. */
export function replicasOf(svc: ScenarioService): number {
  return 2 + (svc.index % 3);
}
