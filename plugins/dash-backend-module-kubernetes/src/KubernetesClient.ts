import {
  ApiException,
  AppsV1Api,
  CoreV1Api,
  KubeConfig,
  Observable,
} from '@kubernetes/client-node';
import {
  UpstreamCaller,
  UpstreamError,
  parseRetryAfter,
} from '@dash-suite/plugin-dash-node';
import { z } from 'zod';
import { KubernetesCluster } from './config';
import { listSchema } from './schemas';

/** The four lists the source reads; nothing else is ever called (read-only). */
export type Resource = 'deployments' | 'replicasets' | 'pods' | 'events';

export interface ListScope {
  /** Undefined: all namespaces. */
  namespace?: string;
  labelSelector?: string;
}

export interface ListLimits {
  pageSize: number;
  maxObjects: number;
}

type CallOptions = NonNullable<
  Parameters<AppsV1Api['listNamespacedDeployment']>[1]
>;

interface Page {
  items: unknown[];
  next?: string;
}

/**
 * One cluster's API through `@kubernetes/client-node`, with the service account token of
 * Backstage's Kubernetes configuration: list calls only, each page one guarded call that the
 * guard's signal can abort, errors turned into `UpstreamError`s that name the cluster.
 */
export class KubernetesClient {
  private readonly apps: AppsV1Api;
  private readonly core: CoreV1Api;

  constructor(readonly cluster: KubernetesCluster) {
    const kc = new KubeConfig();
    kc.loadFromOptions({
      clusters: [
        {
          name: cluster.name,
          server: cluster.url,
          skipTLSVerify: cluster.skipTLSVerify,
          caData: cluster.caData,
          caFile: cluster.caFile,
        },
      ],
      users: [{ name: 'dash', token: cluster.token }],
      contexts: [{ name: 'dash', cluster: cluster.name, user: 'dash' }],
      currentContext: 'dash',
    });
    this.apps = kc.makeApiClient(AppsV1Api);
    this.core = kc.makeApiClient(CoreV1Api);
  }

  /**
   * Every object of a list, page by page (`limit` + `continue`), parsing each item with
   * `schema`: at most `maxObjects` objects; `truncated` says the rest was left unread. `stop`
   * aborts the page in flight and every later one.
   */
  async list<T>(
    upstream: UpstreamCaller,
    resource: Resource,
    scope: ListScope,
    limits: ListLimits,
    schema: z.ZodType<T>,
    stop?: AbortSignal,
  ): Promise<{ items: T[]; dropped: number; truncated: boolean }> {
    const items: T[] = [];
    let dropped = 0;
    let next: string | undefined;
    const maxPages = Math.max(
      1,
      Math.ceil(limits.maxObjects / limits.pageSize),
    );
    for (let page = 0; page < maxPages; page++) {
      // A sibling list of the same read failed: no more calls for an answer nobody takes.
      if (stop?.aborted)
        throw new Error(`${resource} list of '${this.cluster.name}' cancelled`);
      const limit = Math.max(
        1,
        Math.min(limits.pageSize, limits.maxObjects - items.length - dropped),
      );
      const token = next;
      const answer: Page = await upstream.call(
        async signal => {
          // The guard may run a queued call late: not once a sibling list failed.
          if (stop?.aborted)
            throw new Error(
              `${resource} list of '${this.cluster.name}' cancelled`,
            );
          return this.page(
            resource,
            scope,
            limit,
            token,
            stop ? AbortSignal.any([signal, stop]) : signal,
          );
        },
        { idempotent: true, name: `${this.cluster.name}:${resource}` },
      );
      for (const raw of answer.items) {
        const parsed = schema.safeParse(raw);
        if (parsed.success) items.push(parsed.data);
        else dropped += 1;
      }
      next = answer.next;
      if (!next) return { items, dropped, truncated: false };
      if (items.length + dropped >= limits.maxObjects) break;
    }
    return { items, dropped, truncated: true };
  }

  private async page(
    resource: Resource,
    scope: ListScope,
    limit: number,
    next: string | undefined,
    signal: AbortSignal,
  ): Promise<Page> {
    const params = {
      labelSelector: scope.labelSelector,
      limit,
      _continue: next,
    };
    // The guard's signal reaches the request through a per-call middleware.
    const options: CallOptions = {
      middleware: [
        {
          pre: request => {
            request.setSignal(signal);
            return new Observable(Promise.resolve(request));
          },
          post: response => new Observable(Promise.resolve(response)),
        },
      ],
      middlewareMergeStrategy: 'append',
    };
    const ns = scope.namespace;
    let body: unknown;
    try {
      switch (resource) {
        case 'deployments':
          body = ns
            ? await this.apps.listNamespacedDeployment(
                { namespace: ns, ...params },
                options,
              )
            : await this.apps.listDeploymentForAllNamespaces(params, options);
          break;
        case 'replicasets':
          body = ns
            ? await this.apps.listNamespacedReplicaSet(
                { namespace: ns, ...params },
                options,
              )
            : await this.apps.listReplicaSetForAllNamespaces(params, options);
          break;
        case 'pods':
          body = ns
            ? await this.core.listNamespacedPod(
                { namespace: ns, ...params },
                options,
              )
            : await this.core.listPodForAllNamespaces(params, options);
          break;
        default:
          body = ns
            ? await this.core.listNamespacedEvent(
                { namespace: ns, ...params },
                options,
              )
            : await this.core.listEventForAllNamespaces(params, options);
      }
    } catch (e) {
      throw this.translate(e, resource, signal);
    }
    const parsed = listSchema.safeParse(body);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new UpstreamError(
        'error',
        `Kubernetes cluster '${
          this.cluster.name
        }' answered the ${resource} list with an unexpected body (${
          issue?.path.join('.') || 'body'
        }: ${issue?.message})`,
      );
    }
    const meta = parsed.data.metadata;
    return {
      items: parsed.data.items,
      next: meta?._continue || meta?.continue || undefined,
    };
  }

  private translate(e: unknown, resource: Resource, signal: AbortSignal) {
    if (UpstreamError.isUpstreamError(e)) return e;
    // The guard aborted the call: its own error (timed out) is the one that counts.
    if (signal.aborted) return e;
    const said = `Kubernetes cluster '${this.cluster.name}'`;
    if (e instanceof ApiException) {
      const status = e.code;
      const detail = statusMessage(e.body);
      const answered = `${said} answered the ${resource} list with ${status}${
        detail ? ` (${detail})` : ''
      }`;
      if (status === 401) {
        return new UpstreamError(
          'unauthorized',
          `${answered}: check serviceAccountToken in ${this.cluster.key}`,
        );
      }
      if (status === 403) {
        return new UpstreamError(
          'unauthorized',
          `${answered}: the service account may not list ${resource} (it needs get and list on deployments, replicasets, pods and events; see the README's ClusterRole)`,
        );
      }
      if (status === 429) {
        const headers = e.headers ?? {};
        return new UpstreamError('rate-limited', answered, {
          retryAfterMs: parseRetryAfter(
            headers['retry-after'] ?? headers['Retry-After'],
          ),
        });
      }
      return new UpstreamError('error', answered, { httpStatus: status });
    }
    if (e instanceof SyntaxError) {
      return new UpstreamError(
        'error',
        `${said} answered the ${resource} list with a body that is not JSON`,
      );
    }
    const message = e instanceof Error ? e.message : String(e);
    return new UpstreamError(
      'error',
      `${said} cannot be reached (${this.cluster.url}): ${message.slice(
        0,
        200,
      )}`,
      { cause: e },
    );
  }
}

/** The `message` of a Kubernetes `Status` body, when the error carried one. */
function statusMessage(body: unknown): string | undefined {
  let value = body;
  if (typeof value === 'string') {
    try {
      value = JSON.parse(value);
    } catch {
      return undefined;
    }
  }
  const message = (value as { message?: unknown } | undefined)?.message;
  return typeof message === 'string' && message
    ? message.slice(0, 200)
    : undefined;
}
