/*
 * The request log and per-route counters of every upstream. The log keeps the last 100,000
 * entries (benchmarks send more); counters count everything since the last reset.
 */
import { RequestLogEntry, UPSTREAM_NAMES, UpstreamName } from '../types';

const MAX_ENTRIES = 100_000;

export class RequestLog {
  private entries: RequestLogEntry[] = [];
  private counts = new Map<UpstreamName, Map<string, number>>();
  private statusCounts = new Map<UpstreamName, Map<number, number>>();

  add(entry: RequestLogEntry): void {
    this.entries.push(entry);
    if (this.entries.length > MAX_ENTRIES * 1.1) {
      this.entries = this.entries.slice(this.entries.length - MAX_ENTRIES);
    }
    let perRoute = this.counts.get(entry.upstream);
    if (!perRoute) {
      perRoute = new Map();
      this.counts.set(entry.upstream, perRoute);
    }
    perRoute.set(entry.route, (perRoute.get(entry.route) ?? 0) + 1);
    let perStatus = this.statusCounts.get(entry.upstream);
    if (!perStatus) {
      perStatus = new Map();
      this.statusCounts.set(entry.upstream, perStatus);
    }
    perStatus.set(entry.status, (perStatus.get(entry.status) ?? 0) + 1);
  }

  list(
    filter?: Partial<Pick<RequestLogEntry, 'upstream' | 'route'>>,
  ): RequestLogEntry[] {
    return this.entries
      .filter(
        e =>
          (!filter?.upstream || e.upstream === filter.upstream) &&
          (!filter?.route || e.route === filter.route),
      )
      .map(e => ({ ...e }));
  }

  counters(): Record<UpstreamName, Record<string, number>> {
    const out = {} as Record<UpstreamName, Record<string, number>>;
    for (const name of UPSTREAM_NAMES) {
      out[name] = Object.fromEntries(this.counts.get(name) ?? []);
    }
    return out;
  }

  /** Answers per upstream and HTTP status (kept when the log itself drops old entries). */
  statuses(): Record<UpstreamName, Record<string, number>> {
    const out = {} as Record<UpstreamName, Record<string, number>>;
    for (const name of UPSTREAM_NAMES) {
      out[name] = Object.fromEntries(this.statusCounts.get(name) ?? []);
    }
    return out;
  }

  reset(): void {
    this.entries = [];
    this.counts.clear();
    this.statusCounts.clear();
  }
}
