import { mockServices } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { SourceContext, UpstreamCaller } from '@dash-suite/plugin-dash-node';

export interface TestCaller extends UpstreamCaller {
  calls: string[];
  observed: Array<{ remaining?: number; limit?: number; resetAt?: Date }>;
}

/**
 * A stand-in for the DASH guard in source-level tests: one attempt per call, aborted after
 * `timeoutMs`, no retries, and a record of the calls and the rate-limit headers reported.
 */
export function testContext(timeoutMs = 5000): SourceContext & {
  upstream: TestCaller;
  logger: ReturnType<typeof mockServices.logger.mock>;
} {
  const upstream: TestCaller = {
    calls: [],
    observed: [],
    async call(fn, options) {
      upstream.calls.push(options?.name ?? 'call');
      const controller = new AbortController();
      const timer = setTimeout(
        () => controller.abort(new Error('test timeout')),
        timeoutMs,
      );
      try {
        return await fn(controller.signal);
      } finally {
        clearTimeout(timer);
      }
    },
    observeRateLimit(info) {
      upstream.observed.push(info);
    },
  };
  return { upstream, logger: mockServices.logger.mock() };
}

export function component(
  name: string,
  annotations: Record<string, string>,
): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name, namespace: 'default', annotations },
    spec: {
      type: 'service',
      owner: 'group:default/team',
      lifecycle: 'production',
    },
  };
}
