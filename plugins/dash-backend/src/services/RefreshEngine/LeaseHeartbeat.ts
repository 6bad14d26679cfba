import { LoggerService } from '@backstage/backend-plugin-api';
import { FeedStore } from '../FeedStore/FeedStore';

export interface LeaseHeartbeatOptions {
  feeds: FeedStore;
  sourceId: string;
  entityRef: string;
  owner: string;
  leaseMs: number;
  /** How often to renew; 0 turns the heartbeat off (the lease then lasts `leaseMs`). */
  intervalMs: number;
  clock: () => number;
  logger: LoggerService;
}

/**
 * Keeps a feed's lease while its refresh runs, however long the upstream takes: renews it every
 * `intervalMs` (a third of the lease, so that one late or failed beat does not lose it), and
 * says, right before the refresh records its outcome, whether the lease is still ours.
 */
export class LeaseHeartbeat {
  private timer?: ReturnType<typeof setInterval>;
  private beating?: Promise<void>;
  private lost = false;

  constructor(private readonly options: LeaseHeartbeatOptions) {}

  start(): this {
    if (this.options.intervalMs > 0) {
      this.timer = setInterval(() => this.beat(), this.options.intervalMs);
      this.timer.unref?.();
    }
    return this;
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  /**
   * Renews once more and answers whether the lease is still ours; on true the refresh has a
   * whole lease ahead to record its outcome. False once another replica has taken it over.
   */
  async confirm(): Promise<boolean> {
    await this.beating;
    if (!this.lost) this.lost = !(await this.renew());
    return !this.lost;
  }

  private beat() {
    if (this.beating || this.lost) return;
    this.beating = this.renew()
      .then(held => {
        if (!held) {
          this.lost = true;
          this.stop();
        }
      })
      .catch(e => {
        // The database may be back before the lease runs out; `confirm` decides in the end.
        this.options.logger.warn(
          `Could not renew the lease of ${this.options.sourceId} for ${this.options.entityRef}: ${e}`,
        );
      })
      .finally(() => {
        this.beating = undefined;
      });
  }

  private renew(): Promise<boolean> {
    const { feeds, sourceId, entityRef, owner, leaseMs, clock } = this.options;
    return feeds.renew(sourceId, entityRef, owner, leaseMs, clock());
  }
}
