import { LoggerService, SchedulerService } from '@backstage/backend-plugin-api';
import {
  DISCOVERY_SOURCES,
  DiscoveryStatus,
  DiscoveryUpstreamState,
} from '@dash-suite/plugin-project-catalog-common';
import { CatalogIndex } from './CatalogIndex';
import { DiscoverySettings } from './config';
import { DiscoveryStore } from './DiscoveryStore';
import { DiscoveryScanner, UpstreamProblem } from './types';

export const DISCOVERY_TASK_ID = 'project-catalog-discovery';

const iso = (ms: number | undefined) =>
  ms === undefined ? undefined : new Date(ms).toISOString();

/**
 * The discovery scan: on its schedule (`projectCatalog.discovery.schedule`, every 6 hours by
 * default; `projectCatalog.discovery.enabled: false` turns it off) and on request. Each upstream
 * is scanned on its own: one that is rate limited, refuses the credentials, times out or fails
 * records why and keeps the suggestions of its last successful scan, while the others go on.
 * Scans in one process are single-flight: a request during a scan waits for that scan.
 */
export class DiscoveryTask {
  private running?: Promise<void>;

  constructor(
    private readonly deps: {
      settings: DiscoverySettings;
      scanners: DiscoveryScanner[];
      store: DiscoveryStore;
      loadIndex: () => Promise<CatalogIndex>;
      logger: LoggerService;
    },
  ) {}

  get enabled(): boolean {
    return this.deps.settings.enabled;
  }

  async schedule(scheduler: SchedulerService): Promise<void> {
    const { settings, logger } = this.deps;
    if (!settings.enabled) {
      logger.info('Discovery is off (projectCatalog.discovery.enabled: false)');
      return;
    }
    await scheduler.scheduleTask({
      id: DISCOVERY_TASK_ID,
      ...settings.schedule,
      fn: async () => {
        await this.run();
      },
    });
  }

  /** Scans every upstream (or joins the scan under way) and answers the states after it. */
  async run(): Promise<DiscoveryStatus> {
    if (!this.running) {
      this.running = this.scanAll().finally(() => {
        this.running = undefined;
      });
    }
    await this.running;
    return this.status();
  }

  /** Each upstream's state, with `not-configured` read from config as it is now. */
  async status(): Promise<DiscoveryStatus> {
    const states = await this.deps.store.scanStates();
    const upstreams = DISCOVERY_SOURCES.map((id): DiscoveryUpstreamState => {
      const scanner = this.deps.scanners.find(s => s.source === id);
      const problem = scanner
        ? scanner.configurationProblem()
        : `No ${id} scanner is installed`;
      const s = states.find(x => x.upstream === id);
      const times = {
        ...(s ? { lastRunAt: iso(s.lastRunMs) } : {}),
        ...(s?.lastSuccessMs !== undefined
          ? { lastSuccessAt: iso(s.lastSuccessMs), found: s.found }
          : {}),
      };
      if (problem)
        return { id, status: 'not-configured', message: problem, ...times };
      if (!s) return { id, status: 'pending' };
      if (s.status === 'ok') return { id, status: 'ok', ...times };
      const kept =
        s.lastSuccessMs !== undefined
          ? `; showing the suggestions of the scan of ${iso(s.lastSuccessMs)}`
          : '';
      return {
        id,
        status: s.status,
        message: `${s.message ?? s.status}${kept}`,
        ...times,
      };
    });
    return { enabled: this.enabled, upstreams };
  }

  private async scanAll(): Promise<void> {
    const { scanners, store, logger } = this.deps;
    const active = scanners.filter(s => !s.configurationProblem());
    for (const s of scanners.filter(x => x.configurationProblem())) {
      await store.recordProblem(
        s.source,
        'not-configured',
        s.configurationProblem()!,
      );
    }
    if (!active.length) return;
    let index: CatalogIndex;
    try {
      index = await this.deps.loadIndex();
    } catch (error) {
      const message = `Could not read the catalog to compare with: ${
        (error as Error).message
      }`;
      logger.warn(`Discovery: ${message}`);
      for (const s of active)
        await store.recordProblem(s.source, 'error', message);
      return;
    }
    await Promise.all(
      active.map(async scanner => {
        const started = Date.now();
        try {
          const known = await store.known(scanner.source);
          const found = await scanner.scan(index, known);
          await store.applyScan(scanner.source, found);
          logger.info(
            `Discovery: ${scanner.source} found ${
              found.length
            } projects the catalog lacks in ${Date.now() - started} ms`,
          );
        } catch (error) {
          const problem =
            error instanceof UpstreamProblem
              ? error
              : new UpstreamProblem('error', (error as Error).message);
          logger.warn(
            `Discovery: ${scanner.source} scan ${problem.status}: ${problem.message}`,
          );
          try {
            await store.recordProblem(
              scanner.source,
              problem.status,
              problem.message,
            );
          } catch (e) {
            logger.error(
              `Discovery: could not record the ${scanner.source} scan: ${e}`,
            );
          }
        }
      }),
    );
  }
}
