import {
  AuthService,
  LoggerService,
  SchedulerService,
} from '@backstage/backend-plugin-api';
import { MINUTE_MS } from '@dash-suite/plugin-dash-common';
import { durationToMilliseconds, HumanDuration } from '@backstage/types';
import { DashSettings } from '../../config';
import { RefreshEngine } from '../RefreshEngine/RefreshEngine';
import { AnnotatedEntities } from './AnnotatedEntities';

/** The longest one run may take before the scheduler gives up on it. */
const TIMEOUT: HumanDuration = { minutes: 10 };
/**
 * A run stops starting refreshes this long before its timeout, so that the ones it started
 * can finish (each is bounded by its guard's timeout) and the run ends on its own.
 */
const DEADLINE_MARGIN_MS = MINUTE_MS;

/**
 * The scheduled pre-warming (`dash.refresh.prewarm.*`): every `frequency`, refreshes the stale
 * or cold feeds of every entity a source applies to, paced by each source's spare budget (it
 * waits for budget rather than skipping a feed, up to its deadline), so that a page opened later
 * finds its feeds fresh.
 */
export class PrewarmTask {
  private readonly clock: () => number;

  constructor(
    private readonly options: {
      engine: RefreshEngine;
      entities: AnnotatedEntities;
      auth: AuthService;
      logger: LoggerService;
      settings: DashSettings['prewarm'];
      clock?: () => number;
    },
  ) {
    this.clock = options.clock ?? Date.now;
  }

  /** Schedules the task, unless pre-warming is turned off or there is nothing to pre-warm. */
  async schedule(
    scheduler: SchedulerService,
    sourceCount: number,
  ): Promise<void> {
    if (!this.options.settings.enabled || sourceCount === 0) return;
    await scheduler.scheduleTask({
      id: 'dash-prewarm',
      frequency: this.options.settings.frequency,
      timeout: TIMEOUT,
      initialDelay: { milliseconds: this.options.settings.initialDelayMs },
      fn: () => this.run().then(() => undefined),
    });
  }

  /** One pass; returns how many feeds it refreshed. */
  async run(): Promise<number> {
    const { engine, entities, auth, logger, settings } = this.options;
    const startedMs = this.clock();
    const credentials = await auth.getOwnServiceCredentials();
    const annotated = await entities.list(credentials);
    const refreshed = await engine.prewarm(annotated, {
      windowMs: settings.windowMs,
      concurrency: settings.concurrency,
      paced: true,
      deadlineMs:
        startedMs + durationToMilliseconds(TIMEOUT) - DEADLINE_MARGIN_MS,
    });
    logger.info(
      `Pre-warmed ${refreshed} feed(s) of ${annotated.length} annotated entities`,
    );
    return refreshed;
  }
}
