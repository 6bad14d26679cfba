import { LoggerService } from '@backstage/backend-plugin-api';
import { SignalSource } from '@dash-suite/plugin-dash-node';
import { DashSettings } from '../../config';
import { UpstreamGuard } from './UpstreamGuard';

/** Base delay of the jittered exponential backoff between retries of one call. */
const RETRY_BASE_DELAY_MS = 200;

/**
 * One guard per source, from its settings (`dash.guard`, `dash.sources.<id>.guard`). A call
 * never waits for the rate budget longer than a request may wait, nor than its own timeout.
 */
export function createUpstreamGuards(
  sources: SignalSource[],
  settings: DashSettings,
  logger: LoggerService,
): Map<string, UpstreamGuard> {
  return new Map(
    sources.map(s => {
      const g = settings.guard(s.id);
      return [
        s.id,
        new UpstreamGuard({
          sourceId: s.id,
          logger: logger.child({ source: s.id }),
          timeoutMs: g.timeoutMs,
          retries: g.retries,
          retryBaseDelayMs: RETRY_BASE_DELAY_MS,
          breakerThreshold: g.breakerThreshold,
          breakerHalfOpenAfterMs: g.breakerHalfOpenAfterMs,
          concurrency: g.concurrency,
          queue: g.queue,
          requestsPerMinute: g.requestsPerMinute,
          burst: g.burst,
          maxBudgetWaitMs: Math.min(settings.maxWaitMs, g.timeoutMs),
        }),
      ];
    }),
  );
}
