import { DAY_MS, HOUR_MS, MINUTE_MS } from '@dash-suite/plugin-dash-common';
import { SpikeRule } from './config';

/** Histogram intervals, finest first, with the widest window each is chosen for. */
export const INTERVALS: ReadonlyArray<{
  name: string;
  ms: number;
  upTo: number;
}> = [
  { name: '1m', ms: MINUTE_MS, upTo: 6 * HOUR_MS },
  { name: '5m', ms: 5 * MINUTE_MS, upTo: 3 * DAY_MS },
  { name: '1h', ms: HOUR_MS, upTo: Infinity },
];

/** The most buckets one histogram may have (Elasticsearch refuses past search.max_buckets). */
export const MAX_BUCKETS = 10_000;

/**
 * The histogram interval for a window: 1 minute up to 6 hours, 5 minutes up to 3 days, 1 hour
 * beyond, so a histogram has at most about 864 buckets besides its baseline (744 for 31 days).
 * The DASH backend's first fetch of a feed for a one-day view covers about two days (the view
 * plus the correlation look-back), which still gets 5-minute buckets. A feed keeps the
 * interval of its first fetch (`previous`) so that the spikes found later have the same bucket
 * starts, and so the same ids; it moves to a coarser one only when the window would need more
 * than MAX_BUCKETS buckets.
 */
export function chooseInterval(
  windowMs: number,
  baselineBuckets: number,
  previous?: string,
): { name: string; ms: number } {
  const fits = (ms: number) =>
    windowMs / ms + baselineBuckets + 1 <= MAX_BUCKETS;
  const kept = INTERVALS.find(i => i.name === previous);
  if (kept && fits(kept.ms)) return kept;
  const chosen =
    INTERVALS.find(i => windowMs <= i.upTo && fits(i.ms)) ??
    INTERVALS[INTERVALS.length - 1];
  return chosen;
}

export interface Bucket {
  /** Epoch ms of the bucket's start. */
  start: number;
  count: number;
}

export interface Spike {
  /** Epoch ms of the first bucket's start. */
  start: number;
  /** Epoch ms of the last bucket's end. */
  end: number;
  peakCount: number;
  totalCount: number;
  baseline: number;
  /** peakCount / max(baseline, 1). */
  ratio: number;
  buckets: number;
  /** The spike reaches the last bucket: it may still be going on. */
  ongoing: boolean;
  critical: boolean;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/**
 * Finds spikes in a histogram (buckets in time order, `intervalMs` apart, the first
 * `rule.baselineBuckets` of them the baseline of the window):
 *
 * - a bucket starts a spike when its count is at least `minCount` and at least `factor` times
 *   the median of the `baselineBuckets` buckets before it;
 * - the spike goes on while the following buckets stay at least `minCount` and `factor` times
 *   that same baseline (the baseline is fixed when the spike starts, so that a long spike does
 *   not raise its own baseline and end itself);
 * - it runs from the first bucket's start to the last bucket's end; it is critical when its peak
 *   is at least `criticalFactor` times the baseline (a baseline of 0 counts as 1).
 */
export function detectSpikes(
  buckets: Bucket[],
  intervalMs: number,
  rule: SpikeRule,
): Spike[] {
  const spikes: Spike[] = [];
  let current:
    | {
        first: number;
        last: number;
        baseline: number;
        peak: number;
        total: number;
      }
    | undefined;
  const close = (ongoing: boolean) => {
    if (!current) return;
    const ratio = current.peak / Math.max(current.baseline, 1);
    spikes.push({
      start: buckets[current.first].start,
      end: buckets[current.last].start + intervalMs,
      peakCount: current.peak,
      totalCount: current.total,
      baseline: current.baseline,
      ratio: Math.round(ratio * 10) / 10,
      buckets: current.last - current.first + 1,
      ongoing,
      critical: ratio >= rule.criticalFactor,
    });
    current = undefined;
  };
  for (let i = 0; i < buckets.length; i++) {
    const { count } = buckets[i];
    if (current) {
      if (count >= rule.minCount && count >= rule.factor * current.baseline) {
        current.last = i;
        current.peak = Math.max(current.peak, count);
        current.total += count;
        continue;
      }
      close(false);
    }
    if (i < rule.baselineBuckets) continue;
    if (count < rule.minCount) continue;
    const baseline = median(
      buckets.slice(i - rule.baselineBuckets, i).map(b => b.count),
    );
    if (count >= rule.factor * baseline) {
      current = { first: i, last: i, baseline, peak: count, total: count };
    }
  }
  close(true);
  return spikes;
}
