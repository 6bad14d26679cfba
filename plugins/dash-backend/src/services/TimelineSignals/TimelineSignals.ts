import { LoggerService } from '@backstage/backend-plugin-api';
import type { SignalsService } from '@backstage/plugin-signals-node';
import {
  DashTimelineSignal,
  dashTimelineChannel,
} from '@dash-suite/plugin-dash-common';

/** Told when an entity's stored events changed (new or updated events of a source). */
export interface TimelineChanges {
  changed(entityRef: string, sourceId: string): void;
}

export interface TimelineSignalsOptions {
  /** Backstage Signals; without it (or when publishing fails) nothing is sent, nothing breaks. */
  signals?: SignalsService;
  logger: LoggerService;
  /**
   * Changes of one entity within this long are sent as one signal (several sources finishing
   * one refresh together). Default 200 ms.
   */
  coalesceMs?: number;
}

/**
 * Says "new events for entity X" on the entity's Signals channel (`dashTimelineChannel`), so
 * that a DASH tab in live mode refetches at once instead of at its next poll. The message names
 * the entity and the sources that changed, never event data: it is broadcast, and what a tab
 * then reads goes through the usual permission checks.
 */
export class TimelineSignals implements TimelineChanges {
  private readonly pending = new Map<
    string,
    { sources: Set<string>; timer: ReturnType<typeof setTimeout> }
  >();
  private readonly sends = new Set<Promise<void>>();
  private readonly coalesceMs: number;
  private closed = false;

  constructor(private readonly options: TimelineSignalsOptions) {
    this.coalesceMs = options.coalesceMs ?? 200;
  }

  changed(entityRef: string, sourceId: string): void {
    if (!this.options.signals || this.closed) return;
    const waiting = this.pending.get(entityRef);
    if (waiting) {
      waiting.sources.add(sourceId);
      return;
    }
    const timer = setTimeout(() => this.send(entityRef), this.coalesceMs);
    timer.unref?.();
    this.pending.set(entityRef, { sources: new Set([sourceId]), timer });
  }

  /** Sends what is waiting now and waits for every send (for tests and shutdown). */
  async flush(): Promise<void> {
    for (const [entityRef, { timer }] of [...this.pending]) {
      clearTimeout(timer);
      this.send(entityRef);
    }
    await Promise.all([...this.sends]);
  }

  /** Sends what is waiting, and nothing after. */
  async close(): Promise<void> {
    await this.flush();
    this.closed = true;
  }

  private send(entityRef: string): void {
    const waiting = this.pending.get(entityRef);
    this.pending.delete(entityRef);
    const signals = this.options.signals;
    if (!waiting || !signals) return;
    const message: DashTimelineSignal = {
      entityRef,
      sources: [...waiting.sources].sort(),
    };
    const sending = Promise.resolve()
      .then(() =>
        signals.publish<DashTimelineSignal>({
          recipients: { type: 'broadcast' },
          channel: dashTimelineChannel(entityRef),
          message,
        }),
      )
      .catch(e =>
        this.options.logger.warn(
          `Could not signal new DASH events for ${entityRef}: ${e}`,
        ),
      )
      .finally(() => this.sends.delete(sending));
    this.sends.add(sending);
  }
}
