import { LoggerService } from '@backstage/backend-plugin-api';
import { UpstreamCaller } from '@dash-suite/plugin-dash-node';
import { z } from 'zod';
import { CONFIG_ROOT, KubernetesSettings } from './config';
import { KubernetesClient, Resource } from './KubernetesClient';
import { ClusterSnapshot } from './normalize';
import {
  deploymentSchema,
  eventSchema,
  podSchema,
  replicaSetSchema,
} from './schemas';
import { KubernetesTarget } from './target';

/**
 * Reads one cluster for one entity: its Deployments, ReplicaSets and Pods by label selector,
 * and the events of the namespace (events carry no labels: those of other workloads are
 * dropped by the normalizers, which only keep the entity's objects).
 */
export async function readCluster(
  client: KubernetesClient,
  target: KubernetesTarget,
  settings: KubernetesSettings,
  upstream: UpstreamCaller,
  logger: LoggerService,
): Promise<ClusterSnapshot> {
  const limits = {
    pageSize: settings.pageSize,
    maxObjects: settings.maxObjects,
  };
  const cluster = client.cluster.name;
  // The first list that fails stops the others: their answer would be thrown away.
  const stop = new AbortController();
  const read = async <T>(
    resource: Resource,
    schema: z.ZodType<T>,
    labelSelector?: string,
  ): Promise<T[]> => {
    let answer;
    try {
      answer = await client.list(
        upstream,
        resource,
        { namespace: target.namespace, labelSelector },
        limits,
        schema,
        stop.signal,
      );
    } catch (e) {
      stop.abort();
      throw e;
    }
    const { items, dropped, truncated } = answer;
    if (dropped)
      logger.warn(
        `Kubernetes cluster '${cluster}': ${dropped} ${resource} could not be read and were skipped`,
      );
    if (truncated)
      logger.warn(
        `Kubernetes cluster '${cluster}': more than ${settings.maxObjects} ${resource} for '${target.labelSelector}'; the rest was not read (${CONFIG_ROOT}.maxObjects)`,
      );
    return items;
  };
  const [deployments, replicaSets, pods, events] = await Promise.all([
    read('deployments', deploymentSchema, target.labelSelector),
    read('replicasets', replicaSetSchema, target.labelSelector),
    read('pods', podSchema, target.labelSelector),
    read('events', eventSchema),
  ]);
  const deploymentNames = new Set(
    deployments.map(d => `${d.metadata.namespace}/${d.metadata.name}`),
  );
  const rsNames = replicaSets.map(
    rs => `${rs.metadata.namespace}/${rs.metadata.name}`,
  );
  // Only the events of the entity's Deployments and of its ReplicaSets' pods.
  const own = events.filter(e => {
    const { kind, name, namespace } = e.involvedObject;
    if (!name || !namespace) return false;
    const key = `${namespace}/${name}`;
    if (kind === 'Deployment') return deploymentNames.has(key);
    if (kind === 'Pod') return rsNames.some(rs => key.startsWith(`${rs}-`));
    return false;
  });
  return {
    cluster,
    environment: client.cluster.environment,
    deployments,
    replicaSets,
    pods,
    events: own,
  };
}
