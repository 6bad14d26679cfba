import { LoggerService } from '@backstage/backend-plugin-api';
import { Entity } from '@backstage/catalog-model';
import { RefreshEngine } from '../RefreshEngine/RefreshEngine';

/** `dash.refresh.liveWatch`: how the backend keeps entities watched by live tabs fresh. */
export interface LiveWatchSettings {
  /** How often watched entities' feeds are refreshed (0 turns the live watch off). */
  intervalMs: number;
  /** How long an entity stays watched after the last live request for it. */
  ttlMs: number;
  /** At most this many entities are watched at once (the most recently asked for win). */
  maxEntities: number;
}

export const DEFAULT_LIVE_WATCH: LiveWatchSettings = {
  intervalMs: 2_000,
  ttlMs: 150_000,
  maxEntities: 50,
};

/**
 * Passes that may run at once. A pass waits for its slowest feed; the next one need not wait for
 * it (a feed still refreshing is not fetched twice: the engine shares the running refresh), so a
 * slow source does not slow the others. Bounded, so that a hanging upstream cannot pile passes up.
 */
const MAX_RUNNING_PASSES = 3;

export interface LiveWatchOptions {
  engine: Pick<RefreshEngine, 'prewarm'>;
  settings: LiveWatchSettings;
  logger: LoggerService;
  clock?: () => number;
}

interface Watched {
  entity: Entity;
  entityRef: string;
  fromMs: number;
  untilMs: number;
}

/**
 * The entities that DASH tabs in live mode with Signals are showing. Such a tab polls rarely
 * (it waits for signals), so the backend refreshes these entities' feeds every `intervalMs`
 * itself, within each source's spare budget; a refresh that stores new events signals the tabs
 * (see TimelineSignals). An entity is dropped `ttlMs` after the last live request for it.
 */
export class LiveWatch {
  private readonly watched = new Map<string, Watched>();
  private readonly clock: () => number;
  private timer?: ReturnType<typeof setInterval>;
  private readonly running = new Set<Promise<void>>();

  constructor(private readonly options: LiveWatchOptions) {
    this.clock = options.clock ?? Date.now;
  }

  get enabled(): boolean {
    return this.options.settings.intervalMs > 0;
  }

  /** A live tab asked for the entity's events from `fromMs` on: keep its feeds fresh a while. */
  watch(entity: Entity, entityRef: string, fromMs: number): void {
    if (!this.enabled) return;
    const { ttlMs, maxEntities } = this.options.settings;
    // Most recently asked for last: when full, the one asked for longest ago goes.
    this.watched.delete(entityRef);
    this.watched.set(entityRef, {
      entity,
      entityRef,
      fromMs,
      untilMs: this.clock() + ttlMs,
    });
    while (this.watched.size > maxEntities) {
      this.watched.delete(this.watched.keys().next().value!);
    }
  }

  /** The refs watched now. */
  refs(): string[] {
    this.expire();
    return [...this.watched.keys()];
  }

  start(): void {
    if (!this.enabled || this.timer) return;
    this.timer = setInterval(() => {
      if (this.running.size >= MAX_RUNNING_PASSES) return;
      const pass = this.tick().finally(() => this.running.delete(pass));
      this.running.add(pass);
    }, this.options.settings.intervalMs);
    this.timer.unref?.();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await Promise.all([...this.running]);
  }

  /** One pass: refreshes the watched entities' feeds older than the interval. */
  async tick(): Promise<void> {
    this.expire();
    if (this.watched.size === 0) return;
    const { intervalMs } = this.options.settings;
    const now = this.clock();
    const list = [...this.watched.values()];
    // One window wide enough for every watched entity (a feed is refreshed from where it
    // stands anyway: incremental from its last fetch).
    const windowMs = now - Math.min(...list.map(w => w.fromMs));
    try {
      await this.options.engine.prewarm(list, {
        windowMs,
        concurrency: 8,
        deadlineMs: now + Math.max(intervalMs * 5, 10_000),
        // Half the interval: a feed this pass refreshed is due again at the next pass.
        maxAgeMs: intervalMs / 2,
      });
    } catch (e) {
      this.options.logger.warn(`Live refresh of DASH feeds failed: ${e}`);
    }
  }

  private expire() {
    const now = this.clock();
    for (const [ref, w] of this.watched) {
      if (w.untilMs <= now) this.watched.delete(ref);
    }
  }
}
