/**
 * Test helpers for DASH source modules: a stand-in for the backend's guard and a catalog
 * entity builder.
 *
 * @packageDocumentation
 */
import { LoggerService } from '@backstage/backend-plugin-api';
import { Entity } from '@backstage/catalog-model';
import { SourceContext, UpstreamCaller, UpstreamError } from '../SignalSource';

export type {
  SourceContext,
  StoredEventsQuery,
  UpstreamCaller,
} from '../SignalSource';

/**
 * What a source reported to the guard through `observeRateLimit`.
 *
 * @public
 */
export interface ObservedRateLimit {
  /** Calls left in the window. */
  remaining?: number;
  /** Calls allowed per window. */
  limit?: number;
  /** When the window resets. */
  resetAt?: Date;
}

/**
 * An UpstreamCaller that records the calls made and the rate-limit headers reported.
 *
 * @public
 */
export interface TestUpstreamCaller extends UpstreamCaller {
  /** The `name` of each call, in order (`call` when none was given). */
  calls: string[];
  /** Every `observeRateLimit` report, in order. */
  observed: ObservedRateLimit[];
}

/**
 * A stand-in for the DASH backend's guard in source tests: one attempt per call, no retries,
 * no rate budget, and a timeout that aborts the call's signal and fails it as `timed-out` even
 * when the source ignores the signal (as the guard does).
 *
 * @public
 */
export function createTestSourceContext(options?: {
  timeoutMs?: number;
  logger?: LoggerService;
}): SourceContext & { upstream: TestUpstreamCaller } {
  const timeoutMs = options?.timeoutMs ?? 5000;
  const upstream: TestUpstreamCaller = {
    calls: [],
    observed: [],
    async call(fn, callOptions) {
      upstream.calls.push(callOptions?.name ?? 'call');
      const controller = new AbortController();
      let timer: ReturnType<typeof setTimeout> | undefined;
      const timedOut = new Promise<never>((_, reject) => {
        timer = setTimeout(() => {
          controller.abort(new Error('test timeout'));
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
      upstream.observed.push(info);
    },
  };
  return { upstream, logger: options?.logger ?? silentLogger() };
}

/**
 * A logger that drops everything, for tests that do not look at logs.
 *
 * @public
 */
export function silentLogger(): LoggerService {
  const logger: LoggerService = {
    error() {},
    warn() {},
    info() {},
    debug() {},
    child: () => logger,
  };
  return logger;
}

/**
 * A Component entity with the given annotations, and `dependsOn` both in its spec and as
 * the relations the catalog would derive.
 *
 * @public
 */
export function testComponent(
  name: string,
  annotations: Record<string, string>,
  dependsOn: string[] = [],
): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name, namespace: 'default', annotations },
    spec: {
      type: 'service',
      owner: 'group:default/team',
      lifecycle: 'production',
      ...(dependsOn.length ? { dependsOn } : {}),
    },
    relations: dependsOn.map(targetRef => ({ type: 'dependsOn', targetRef })),
  };
}

/**
 * {@link createTestSourceContext} with its parts at hand: the guard stand-in (`upstream`), the
 * logger, the names of the calls made (`names`) and the rate-limit reports (`observed`).
 *
 * @public
 */
export function createTestCaller(options?: {
  timeoutMs?: number;
  logger?: LoggerService;
}) {
  const context = createTestSourceContext(options);
  const { upstream, logger } = context;
  return {
    upstream,
    logger,
    observed: upstream.observed,
    names: upstream.calls,
    context,
  };
}

export { startDashTestBackend } from './backend';
export type { DashTestBackendOptions, DashTestConfig } from './backend';
