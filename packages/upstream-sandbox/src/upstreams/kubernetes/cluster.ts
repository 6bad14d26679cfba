/*
 * The simulated cluster as of a moment: one Deployment per service that carries
 * `backstage.io/kubernetes-id`, with a ReplicaSet per pod template and revisions that follow the
 * service's production deployments on GitHub (same version tags, same times). Deploying a tag
 * that ran before reuses its ReplicaSet, as the deployment controller does for `kubectl rollout
 * undo` (the revision moves up, the old one goes to `deployment.kubernetes.io/revision-history`).
 * Pods belong to the current ReplicaSet; events are those of the deployment controller and the
 * kubelet (see trouble.ts). Everything is a pure function of (seed, scenario, asOf).
 */
import { hashParts } from '../../random';
import { ScenarioStore } from '../../scenario/store';
import { Deployment as GhDeployment } from '../../scenario/model';
import { ScenarioService } from '../../types';
import { isoSeconds } from '../../time';
import { templateHash, uid } from './names';
import { renderPod } from './pods';
import { kubeNamespace, labels, podTemplate, replicasOf } from './shapes';

export { kubeNamespace };
import { controllerEvents, renderEvent, ROLLOUT_MS } from './events';
import { podTrouble, scaleChange } from './trouble';

export { ROLLOUT_MS };

import { ANNOTATION_KUBERNETES_ID as KUBERNETES_ID } from '../../scenario/kubernetesId';

export { KUBERNETES_ID };

export interface Obj {
  apiVersion: string;
  kind: string;
  metadata: {
    name: string;
    namespace: string;
    uid: string;
    labels?: Record<string, string>;
    [key: string]: unknown;
  };
  [key: string]: unknown;
}

export interface ClusterObjects {
  deployments: Obj[];
  replicasets: Obj[];
  pods: Obj[];
  events: Obj[];
}

interface Template {
  ref: string;
  name: string;
  hash: string;
  createdAt: number;
  revision: number;
  history: number[];
  /** When this template was last rolled out (creation, or the latest reuse). */
  rolledAt: number;
}

/** The templates of a service's production deployments visible at `asOf`, in revision order. */
export function templatesAt(
  seed: number,
  svc: ScenarioService,
  deployments: GhDeployment[],
  asOf: number,
): { templates: Template[]; current?: Template; rollouts: GhDeployment[] } {
  const byRef = new Map<string, Template>();
  const rollouts = deployments
    .filter(d => d.environment === 'production' && d.at <= asOf)
    .sort((a, b) => a.at - b.at || a.id - b.id);
  let current: Template | undefined;
  rollouts.forEach((d, i) => {
    const revision = i + 1;
    const known = byRef.get(d.ref);
    if (known) {
      if (known !== current) {
        known.history.push(known.revision);
        known.revision = revision;
        known.rolledAt = d.at;
      }
      current = known;
      return;
    }
    const hash = templateHash(seed, svc.name, d.ref);
    current = {
      ref: d.ref,
      name: `${svc.name}-${hash}`,
      hash,
      createdAt: d.at,
      revision,
      history: [],
      rolledAt: d.at,
    };
    byRef.set(d.ref, current);
  });
  return {
    templates: [...byRef.values()].sort((a, b) => a.revision - b.revision),
    current,
    rollouts,
  };
}

/** Every object of one service at `asOf`. */
export function serviceObjects(
  store: ScenarioStore,
  svc: ScenarioService,
  asOf: number,
): ClusterObjects {
  const seed = store.ctx.seed;
  const ns = kubeNamespace(svc);
  const out: ClusterObjects = {
    deployments: [],
    replicasets: [],
    pods: [],
    events: [],
  };
  const { templates, current, rollouts } = templatesAt(
    seed,
    svc,
    store.data(svc.index).deployments,
    asOf,
  );
  if (!current) return out;
  const scale = scaleChange(store, svc, current, asOf);
  const replicas = scale?.to ?? replicasOf(svc);
  const deployUid = uid(seed, ns, svc.name, 'deployment');
  const done = asOf >= current.rolledAt + ROLLOUT_MS;
  const condition = (
    type: string,
    reason: string,
    message: string,
    at: number,
  ) => ({
    type,
    status: 'True',
    lastUpdateTime: isoSeconds(at),
    lastTransitionTime: isoSeconds(at),
    reason,
    message,
  });
  out.deployments.push({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: {
      name: svc.name,
      namespace: ns,
      uid: deployUid,
      resourceVersion: String(hashParts(deployUid, current.revision) % 1e7),
      generation: current.revision,
      creationTimestamp: isoSeconds(templates[0].createdAt),
      labels: labels(svc),
      annotations: {
        'deployment.kubernetes.io/revision': String(current.revision),
      },
    },
    spec: {
      replicas,
      selector: { matchLabels: { app: svc.name } },
      template: podTemplate(svc, current.ref),
      strategy: {
        type: 'RollingUpdate',
        rollingUpdate: { maxUnavailable: '25%', maxSurge: '25%' },
      },
      revisionHistoryLimit: 10,
      progressDeadlineSeconds: 600,
    },
    status: {
      observedGeneration: current.revision,
      replicas,
      updatedReplicas: replicas,
      readyReplicas: done ? replicas : replicas - 1,
      availableReplicas: done ? replicas : replicas - 1,
      conditions: [
        condition(
          'Available',
          'MinimumReplicasAvailable',
          'Deployment has minimum availability.',
          templates[0].createdAt + ROLLOUT_MS,
        ),
        done
          ? condition(
              'Progressing',
              'NewReplicaSetAvailable',
              `ReplicaSet "${current.name}" has successfully progressed.`,
              current.rolledAt + ROLLOUT_MS,
            )
          : condition(
              'Progressing',
              'ReplicaSetUpdated',
              `ReplicaSet "${current.name}" is progressing.`,
              current.rolledAt,
            ),
      ],
    },
  });
  // The controller keeps revisionHistoryLimit old ReplicaSets.
  for (const t of templates.slice(-11)) {
    const isCurrent = t === current;
    const n = isCurrent ? replicas : 0;
    out.replicasets.push({
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      metadata: {
        name: t.name,
        namespace: ns,
        uid: uid(seed, ns, t.name),
        resourceVersion: String(hashParts(t.name, t.revision, n) % 1e7),
        creationTimestamp: isoSeconds(t.createdAt),
        labels: labels(svc, t.hash),
        annotations: {
          'deployment.kubernetes.io/desired-replicas': String(replicas),
          'deployment.kubernetes.io/max-replicas': String(replicas + 1),
          'deployment.kubernetes.io/revision': String(t.revision),
          ...(t.history.length
            ? {
                'deployment.kubernetes.io/revision-history':
                  t.history.join(','),
              }
            : {}),
        },
        ownerReferences: [
          {
            apiVersion: 'apps/v1',
            kind: 'Deployment',
            name: svc.name,
            uid: deployUid,
            controller: true,
            blockOwnerDeletion: true,
          },
        ],
      },
      spec: {
        replicas: n,
        selector: {
          matchLabels: { app: svc.name, 'pod-template-hash': t.hash },
        },
        template: podTemplate(svc, t.ref, t.hash),
      },
      status: {
        replicas: n,
        fullyLabeledReplicas: n,
        readyReplicas: n,
        availableReplicas: n,
        observedGeneration: 1,
      },
    });
  }
  const trouble = podTrouble(store, svc, templates, current, asOf);
  for (let i = 0; i < replicas; i++) {
    out.pods.push(
      renderPod(seed, svc, current, {
        i,
        startedAt: i < replicasOf(svc) ? current.rolledAt : scale!.at,
        lastOom: trouble.podStatus(i),
      }),
    );
  }
  out.events.push(
    ...controllerEvents(
      seed,
      { name: svc.name, ns, uid: deployUid, replicas: replicasOf(svc) },
      rollouts,
      templates,
    ),
    ...[
      ...trouble.events,
      ...(scale
        ? [
            {
              ...scale.event,
              object: { ...scale.event.object, uid: deployUid },
            },
          ]
        : []),
    ].map(e => renderEvent(seed, ns, e)),
  );
  out.events = out.events.filter(
    e => Date.parse(String(e.firstTimestamp)) <= asOf,
  );
  out.events.sort(
    (a, b) =>
      String(a.lastTimestamp).localeCompare(String(b.lastTimestamp)) ||
      a.metadata.name.localeCompare(b.metadata.name),
  );
  return out;
}
