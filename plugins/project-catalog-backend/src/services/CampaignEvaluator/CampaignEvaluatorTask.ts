import {
  LoggerService,
  SchedulerService,
  SchedulerServiceTaskScheduleDefinition,
} from '@backstage/backend-plugin-api';
import { CampaignEvaluator } from './CampaignEvaluator';

/** The scheduler task id; `scheduler.triggerTask` with it runs an evaluation now. */
export const CAMPAIGN_EVALUATOR_TASK_ID = 'project-catalog-campaign-evaluator';

/**
 * Evaluates every campaign on the schedule of `projectCatalog.campaigns.schedule` (default every
 * 30 minutes). The scheduler runs it on one replica at a time.
 */
export class CampaignEvaluatorTask {
  constructor(
    private readonly options: {
      evaluator: CampaignEvaluator;
      schedule: SchedulerServiceTaskScheduleDefinition;
      logger: LoggerService;
    },
  ) {}

  async schedule(scheduler: SchedulerService): Promise<void> {
    await scheduler.scheduleTask({
      id: CAMPAIGN_EVALUATOR_TASK_ID,
      ...this.options.schedule,
      fn: () => this.run().then(() => undefined),
    });
  }

  /** One pass over every campaign; returns how many were evaluated. */
  async run(): Promise<number> {
    const started = Date.now();
    const summaries = await this.options.evaluator.evaluateAll();
    const degraded = summaries.filter(s => Object.keys(s.degraded).length);
    this.options.logger.info(
      `Campaigns: evaluated ${summaries.length} in ${Date.now() - started} ms${
        degraded.length
          ? `; degraded (last results kept): ${degraded
              .map(s => `${s.campaignId} ${JSON.stringify(s.degraded)}`)
              .join(', ')}`
          : ''
      }`,
    );
    return summaries.length;
  }
}
