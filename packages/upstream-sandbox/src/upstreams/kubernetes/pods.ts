/*
 * The pods of the simulated cluster: those of a Deployment's current ReplicaSet, running, one of
 * them perhaps with an OOM kill in its `lastState`.
 */
import { hashParts, Rng } from '../../random';
import { ScenarioService } from '../../types';
import { isoSeconds } from '../../time';
import type { Obj } from './cluster';
import { podName, uid } from './names';
import { image, kubeNamespace, labels, podTemplate } from './shapes';

/** The i-th pod of the ReplicaSet `current` of a service. */
export function renderPod(
  seed: number,
  svc: ScenarioService,
  current: { name: string; ref: string; hash: string },
  pod: {
    i: number;
    startedAt: number;
    lastOom?: { restarts: number; at: number; restartedAt: number };
  },
): Obj {
  const { i, startedAt, lastOom } = pod;
  const ns = kubeNamespace(svc);
  const name = podName(seed, current.name, i);
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      namespace: ns,
      uid: uid(seed, ns, name),
      resourceVersion: String(hashParts(name, lastOom?.restarts ?? 0) % 1e7),
      creationTimestamp: isoSeconds(startedAt),
      labels: labels(svc, current.hash),
      ownerReferences: [
        {
          apiVersion: 'apps/v1',
          kind: 'ReplicaSet',
          name: current.name,
          uid: uid(seed, ns, current.name),
          controller: true,
          blockOwnerDeletion: true,
        },
      ],
    },
    spec: {
      containers: podTemplate(svc, current.ref).spec.containers,
      nodeName: `node-${hashParts(name) % 6}`,
      restartPolicy: 'Always',
    },
    status: {
      phase: 'Running',
      startTime: isoSeconds(startedAt),
      conditions: [
        {
          type: 'Ready',
          status: 'True',
          lastTransitionTime: isoSeconds(startedAt + 20_000),
        },
      ],
      containerStatuses: [
        {
          name: svc.name,
          image: image(svc, current.ref),
          imageID: `${image(svc, current.ref)}@sha256:${new Rng(
            seed,
            current.ref,
          ).hex(64)}`,
          ready: true,
          started: true,
          restartCount: lastOom?.restarts ?? 0,
          state: {
            running: {
              startedAt: isoSeconds(lastOom?.restartedAt ?? startedAt),
            },
          },
          ...(lastOom
            ? {
                lastState: {
                  terminated: {
                    exitCode: 137,
                    reason: 'OOMKilled',
                    startedAt: isoSeconds(startedAt),
                    finishedAt: isoSeconds(lastOom.at),
                  },
                },
              }
            : {}),
        },
      ],
    },
  };
}
