/*
 * The Kubernetes API (read-only lists): apps/v1 deployments and replicasets, core/v1 pods and
 * events, per namespace and across all namespaces, with `labelSelector`, `limit`/`continue`
 * paging, a service account Bearer token, and errors as `Status` objects. `watch` is not served.
 * The cluster itself is in kubernetes/cluster.ts.
 */
import { FaultSpec } from '../types';
import { Ctx, HttpError, Reply, RouteDef, UpstreamDef } from '../http/server';
import { ScenarioStore } from '../scenario/store';
import {
  ClusterObjects,
  KUBERNETES_ID,
  Obj,
  serviceObjects,
} from './kubernetes/cluster';
import {
  SelectorError,
  continueToken,
  matches,
  parseLabelSelector,
  readContinue,
} from './kubernetes/selector';
import { credential } from './params';

export interface KubernetesOptions {
  token: string;
}

const REASONS: Record<number, string> = {
  400: 'BadRequest',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'NotFound',
  410: 'Expired',
  429: 'TooManyRequests',
  500: 'InternalError',
  503: 'ServiceUnavailable',
};

/** An error answer: a meta/v1 Status object. */
export function k8sStatus(
  code: number,
  message: string,
  details?: Record<string, unknown>,
): Reply {
  return {
    status: code,
    body: {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message,
      reason: REASONS[code] ?? (code >= 500 ? 'InternalError' : 'BadRequest'),
      ...(details ? { details } : {}),
      code,
    },
  };
}

type Resource = keyof ClusterObjects;

const LIST_KIND: Record<Resource, [string, string]> = {
  deployments: ['apps/v1', 'DeploymentList'],
  replicasets: ['apps/v1', 'ReplicaSetList'],
  pods: ['v1', 'PodList'],
  events: ['v1', 'EventList'],
};

export function createKubernetes(
  store: ScenarioStore,
  opts: KubernetesOptions,
): UpstreamDef {
  /** Every object of one resource at this moment, in a stable order. */
  function objects(resource: Resource, asOf: number): Obj[] {
    const out: Obj[] = [];
    for (const svc of store.scenario.services) {
      if (!svc.annotations[KUBERNETES_ID]) continue;
      out.push(...serviceObjects(store, svc, asOf)[resource]);
    }
    return out.sort(
      (a, b) =>
        a.metadata.namespace.localeCompare(b.metadata.namespace) ||
        a.metadata.name.localeCompare(b.metadata.name),
    );
  }

  function list(resource: Resource) {
    return (ctx: Ctx): Reply => {
      if (ctx.query.get('watch') === 'true' || ctx.query.get('watch') === '1')
        throw new HttpError(
          k8sStatus(400, 'watch is not served by the sandbox'),
        );
      let requirements;
      try {
        requirements = parseLabelSelector(ctx.query.get('labelSelector'));
      } catch (e) {
        throw new HttpError(
          k8sStatus(400, e instanceof SelectorError ? e.message : String(e)),
        );
      }
      const limitText = ctx.query.get('limit');
      const limit =
        limitText === null || limitText === '' ? 0 : Number(limitText);
      if (!Number.isInteger(limit) || limit < 0)
        throw new HttpError(
          k8sStatus(400, `limit must be a non-negative integer: ${limitText}`),
        );
      const token = ctx.query.get('continue');
      const start = token ? readContinue(token) : 0;
      if (start === undefined)
        throw new HttpError(
          k8sStatus(400, 'continue key is not valid: illegal base64 data'),
        );
      const asOf = store.asOf();
      const resourceVersion = String(Math.floor(asOf / 1000));
      const namespace = ctx.params.namespace;
      const all = objects(resource, asOf).filter(
        o =>
          (!namespace || o.metadata.namespace === namespace) &&
          matches(requirements, o.metadata.labels ?? {}),
      );
      const end = limit > 0 ? Math.min(all.length, start + limit) : all.length;
      const more = end < all.length;
      const [apiVersion, kind] = LIST_KIND[resource];
      return {
        status: 200,
        body: {
          kind,
          apiVersion,
          metadata: {
            resourceVersion,
            ...(more
              ? {
                  continue: continueToken(resourceVersion, end),
                  remainingItemCount: all.length - end,
                }
              : {}),
          },
          // List items carry no kind or apiVersion, as the API server writes them.
          items: all
            .slice(start, end)
            .map(({ kind: _k, apiVersion: _a, ...o }) => o),
        },
      };
    };
  }

  const routes: RouteDef[] = [
    ['/apis/apps/v1', 'deployments'],
    ['/apis/apps/v1', 'replicasets'],
    ['/api/v1', 'pods'],
    ['/api/v1', 'events'],
  ].flatMap(([prefix, resource]) => [
    {
      method: 'GET' as const,
      path: `${prefix}/${resource}`,
      handler: list(resource as Resource),
    },
    {
      method: 'GET' as const,
      path: `${prefix}/namespaces/{namespace}/${resource}`,
      handler: list(resource as Resource),
    },
  ]);

  const unauthorized = () => k8sStatus(401, 'Unauthorized');
  return {
    name: 'kubernetes',
    routes,
    authenticate(ctx) {
      const cred = credential(ctx.req.headers.authorization);
      if (!cred || cred.scheme !== 'bearer' || cred.value !== opts.token)
        return unauthorized();
      return undefined;
    },
    unauthorized,
    serverError: status =>
      k8sStatus(
        status,
        status === 503
          ? 'the server is currently unable to handle the request'
          : 'an error on the server ("") has prevented the request from succeeding',
      ),
    rateLimited: (spec: NonNullable<FaultSpec['rateLimit']>) => {
      const seconds = spec.retryAfterSec ?? 1;
      return {
        ...k8sStatus(
          spec.status ?? 429,
          'the server has received too many requests and has asked us to try again later',
          { retryAfterSeconds: seconds },
        ),
        headers: { 'retry-after': String(seconds) },
      };
    },
    notFound: ctx =>
      k8sStatus(
        404,
        `the server could not find the requested resource (${ctx.path})`,
      ),
  };
}
