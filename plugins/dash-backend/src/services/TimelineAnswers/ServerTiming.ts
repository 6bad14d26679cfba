/**
 * Where one request's time went, for its `Server-Timing` header (W3C Server Timing, shown by a
 * browser's developer tools beside the request): each phase's duration in milliseconds, a phase
 * timed twice adds up, and notes without a duration (such as whether the answer was computed for
 * this request or shared with another).
 */
export class ServerTiming {
  private readonly entries = new Map<string, { ms?: number; desc?: string }>();
  private readonly startedAt: number;

  constructor(private readonly clock: () => number = () => performance.now()) {
    this.startedAt = clock();
  }

  /** Runs `work`, adding its duration (until it settles) to the phase `name`. */
  async time<T>(name: string, work: () => Promise<T>): Promise<T> {
    const started = this.clock();
    try {
      return await work();
    } finally {
      this.add(name, this.clock() - started);
    }
  }

  /** Runs `work`, adding its duration to the phase `name`. */
  timeSync<T>(name: string, work: () => T): T {
    const started = this.clock();
    try {
      return work();
    } finally {
      this.add(name, this.clock() - started);
    }
  }

  /** Adds `ms` to the phase `name`. */
  add(name: string, ms: number) {
    const entry = this.entries.get(name) ?? {};
    entry.ms = (entry.ms ?? 0) + ms;
    this.entries.set(name, entry);
  }

  /** A note on `name` without a duration (kept beside one if the phase was also timed). */
  note(name: string, desc: string) {
    const entry = this.entries.get(name) ?? {};
    entry.desc = desc;
    this.entries.set(name, entry);
  }

  /**
   * The header's value: the phases in the order they first appeared, then `total`, the time
   * since this object was made (what the phases leave out is the rest of it); empty when nothing
   * was timed.
   */
  header(): string {
    if (this.entries.size === 0) return '';
    const metrics: Array<[string, { ms?: number; desc?: string }]> = [
      ...this.entries,
      ['total', { ms: this.clock() - this.startedAt }],
    ];
    return metrics
      .map(([name, { ms, desc }]) => {
        let metric = name;
        if (desc !== undefined)
          metric += `;desc="${desc.replace(/["\\]/g, '')}"`;
        if (ms !== undefined) metric += `;dur=${ms.toFixed(1)}`;
        return metric;
      })
      .join(', ');
  }
}
