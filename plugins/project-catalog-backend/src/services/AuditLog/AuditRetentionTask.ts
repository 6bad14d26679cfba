import { LoggerService, SchedulerService } from '@backstage/backend-plugin-api';
import { AuditLog } from './AuditLog';

/** Deletes audit entries older than the retention (`projectCatalog.audit.retentionDays`), daily. */
export class AuditRetentionTask {
  constructor(
    private readonly options: {
      auditLog: AuditLog;
      retentionMs: number;
      logger: LoggerService;
      clock?: () => number;
    },
  ) {}

  async schedule(scheduler: SchedulerService): Promise<void> {
    await scheduler.scheduleTask({
      id: 'project-catalog-audit-retention',
      frequency: { hours: 24 },
      timeout: { minutes: 10 },
      initialDelay: { minutes: 2 },
      fn: () => this.run().then(() => undefined),
    });
  }

  /** One pass; returns how many entries were deleted. */
  async run(): Promise<number> {
    const now = (this.options.clock ?? Date.now)();
    const deleted = await this.options.auditLog.deleteOlderThan(
      now - this.options.retentionMs,
    );
    this.options.logger.info(
      `Audit retention: deleted ${deleted} entr${
        deleted === 1 ? 'y' : 'ies'
      } older than ${Math.round(this.options.retentionMs / 86_400_000)} days`,
    );
    return deleted;
  }
}
