import { LoggerService } from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import { Entity } from '@backstage/catalog-model';
import { DashEvent } from '@dash-suite/plugin-dash-common';
import {
  FetchEventsRequest,
  FetchEventsResult,
  SignalSource,
  SourceContext,
  UpstreamError,
  warnWithoutAllowList,
} from '@dash-suite/plugin-dash-node';
import {
  CONFIG_ROOT,
  KUBERNETES_ROOT,
  KubernetesSettings,
  readKubernetesSettings,
} from './config';
import { KubernetesClient } from './KubernetesClient';
import { SOURCE_ID, podTroubleEvents, rolloutEvents } from './normalize';
import { readCluster } from './readCluster';
import {
  ANNOTATION_KUBERNETES_NAMESPACE,
  KubernetesTarget,
  appliesTo,
  readTarget,
} from './target';

/**
 * Kubernetes as a DASH source: Deployment rollouts and rollbacks (kind `deploy`, with the image
 * tag as version), scale changes (kind `change`) and pod trouble per workload (kind
 * `pod-trouble`), read from the clusters of Backstage's Kubernetes configuration with their
 * service account tokens, list and get only.
 */
export class KubernetesSource implements SignalSource {
  readonly id = SOURCE_ID;
  readonly title = 'Kubernetes';
  private readonly clients: KubernetesClient[];

  static fromConfig(config: Config, logger: LoggerService): KubernetesSource {
    return new KubernetesSource(readKubernetesSettings(config), logger);
  }

  constructor(
    private readonly settings: KubernetesSettings,
    logger: LoggerService,
  ) {
    this.clients = settings.clusters.map(c => new KubernetesClient(c));
    for (const problem of settings.problems)
      logger.warn(`Kubernetes cluster not usable by DASH: ${problem}`);
    if (settings.enabled && this.clients.length && !settings.allowNamespaces)
      warnWithoutAllowList(
        logger,
        'Kubernetes',
        ANNOTATION_KUBERNETES_NAMESPACE,
        `${CONFIG_ROOT}.allow.namespaces`,
      );
  }

  appliesTo(entity: Entity): boolean {
    return appliesTo(entity);
  }

  configurationProblem(entity: Entity): string | undefined {
    if (!this.settings.enabled)
      return `Kubernetes is turned off for DASH (${CONFIG_ROOT}.enabled)`;
    if (this.settings.allowProblem) return this.settings.allowProblem;
    if (!this.clients.length) {
      return this.settings.problems.length
        ? `Kubernetes is not configured: ${this.settings.problems.join('; ')}`
        : `Kubernetes is not configured: ${KUBERNETES_ROOT} has no cluster of type 'config' with a serviceAccountToken`;
    }
    return readTarget(entity).problem;
  }

  /** With `allow.namespaces`, the entity must name an allowed namespace. */
  accessProblem(entity: Entity): string | undefined {
    const allow = this.settings.allowNamespaces;
    const { target } = readTarget(entity);
    if (!allow || !target) return undefined;
    if (!target.namespace)
      return `The entity reads every namespace (no ${ANNOTATION_KUBERNETES_NAMESPACE} annotation), and ${CONFIG_ROOT}.allow.namespaces limits DASH to ${allow.describe()}`;
    if (!allow.allows(target.namespace))
      return `The ${ANNOTATION_KUBERNETES_NAMESPACE} annotation names '${target.namespace}', not in ${CONFIG_ROOT}.allow.namespaces`;
    return undefined;
  }

  private target(entity: Entity): KubernetesTarget {
    const problem = this.configurationProblem(entity);
    if (problem) throw new UpstreamError('not-configured', problem);
    const denied = this.accessProblem(entity);
    if (denied) throw new UpstreamError('not-allowed', denied);
    return readTarget(entity).target!;
  }

  /**
   * Every cluster is read on its own: one that fails leaves the others' events, and says
   * which failed in the warning; when all fail, the first failure is the source's status.
   */
  async fetchEvents(
    request: FetchEventsRequest,
    context: SourceContext,
  ): Promise<FetchEventsResult> {
    const target = this.target(request.entity);
    const { upstream, logger } = context;
    const results = await Promise.allSettled(
      this.clients.map(c =>
        readCluster(c, target, this.settings, upstream, logger),
      ),
    );
    const ctx = {
      entityRef: request.entityRef,
      fromMs: request.from.getTime(),
      toMs: request.to.getTime(),
      nowMs: Date.now(),
    };
    const events: DashEvent[] = [];
    const failed: Array<{ cluster: string; error: unknown }> = [];
    results.forEach((r, i) => {
      if (r.status === 'rejected') {
        failed.push({ cluster: this.clients[i].cluster.name, error: r.reason });
        return;
      }
      events.push(
        ...rolloutEvents(r.value, ctx),
        ...podTroubleEvents(r.value, ctx, {
          gapMs: this.settings.troubleGapMs,
          criticalPods: this.settings.criticalPods,
        }),
      );
    });
    if (failed.length === results.length) throw namingCluster(failed[0]);
    if (!failed.length) return { events };
    const warning = failed
      .map(
        f =>
          `cluster '${f.cluster}' failed: ${
            f.error instanceof Error ? f.error.message : String(f.error)
          }`,
      )
      .join('; ');
    logger.warn(`Kubernetes for ${request.entityRef}: ${warning}`);
    return {
      events,
      warning: `Kubernetes answered in part: ${warning}`.slice(0, 1000),
    };
  }
}

/** The failure of a cluster, its message naming the cluster (the guard's own errors do not). */
function namingCluster(f: { cluster: string; error: unknown }): unknown {
  const e = f.error;
  if (!UpstreamError.isUpstreamError(e) || e.message.includes(`'${f.cluster}'`))
    return e;
  return new UpstreamError(
    e.status,
    `Kubernetes cluster '${f.cluster}': ${e.message}`,
    { retryAfterMs: e.retryAfterMs, httpStatus: e.httpStatus, cause: e },
  );
}
