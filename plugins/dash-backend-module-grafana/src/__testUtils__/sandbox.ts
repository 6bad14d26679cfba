import { mockServices } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { UpstreamCaller, UpstreamError } from '@dash-suite/plugin-dash-node';
import type { ScenarioService } from '@dash-suite/upstream-sandbox';

/**
 * A stand-in for the DASH backend's UpstreamGuard in source tests: one attempt per call, a
 * timeout that aborts the call's signal, and a record of what the source reported.
 */
export function testCaller(timeoutMs = 3000) {
  const observed: Array<{
    remaining?: number;
    limit?: number;
    resetAt?: Date;
  }> = [];
  const names: string[] = [];
  const upstream: UpstreamCaller = {
    async call(fn, options) {
      names.push(options?.name ?? '?');
      const controller = new AbortController();
      let timer: ReturnType<typeof setTimeout> | undefined;
      const timedOut = new Promise<never>((_, reject) => {
        timer = setTimeout(() => {
          controller.abort();
          reject(
            new UpstreamError('timed-out', `no answer in ${timeoutMs} ms`),
          );
        }, timeoutMs);
      });
      try {
        return await Promise.race([fn(controller.signal), timedOut]);
      } finally {
        clearTimeout(timer);
      }
    },
    observeRateLimit(info) {
      observed.push(info);
    },
  };
  const logger = mockServices.logger.mock();
  return { upstream, logger, observed, names, context: { upstream, logger } };
}

/** The catalog entity of a sandbox scenario service. */
export function entityOf(service: ScenarioService): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name: service.name,
      namespace: 'default',
      description: service.description,
      annotations: { ...service.annotations },
    },
    spec: {
      type: service.type,
      lifecycle: 'production',
      owner: service.owner,
      ...(service.system ? { system: service.system } : {}),
      dependsOn: service.dependsOn,
    },
    relations: service.dependsOn.map(targetRef => ({
      type: 'dependsOn',
      targetRef,
    })),
  };
}
