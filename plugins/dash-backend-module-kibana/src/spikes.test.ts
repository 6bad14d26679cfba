import { DEFAULT_SPIKE_RULE } from './config';
import { Bucket, MAX_BUCKETS, chooseInterval, detectSpikes } from './spikes';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const T0 = Date.UTC(2025, 2, 12, 10);

function histogram(counts: number[], intervalMs = MINUTE): Bucket[] {
  return counts.map((count, i) => ({ start: T0 + i * intervalMs, count }));
}

const quiet = (n: number, value = 1) => Array.from({ length: n }, () => value);

describe('detectSpikes', () => {
  const rule = DEFAULT_SPIKE_RULE; // minCount 10, factor 3, baseline 12 buckets, critical 10x

  it('finds a spike where a bucket has at least minCount and factor x the median of the 12 before', () => {
    const spikes = detectSpikes(
      histogram([...quiet(12, 4), 12, 4, 4]),
      MINUTE,
      rule,
    );
    expect(spikes).toEqual([
      {
        start: T0 + 12 * MINUTE,
        end: T0 + 13 * MINUTE,
        peakCount: 12,
        totalCount: 12,
        baseline: 4,
        ratio: 3,
        buckets: 1,
        ongoing: false,
        critical: false,
      },
    ]);
  });

  it('needs both the minimum count and the factor', () => {
    // 9 is 9x a baseline of 1 but under minCount; 11 is over minCount but under 3x a baseline of 4.
    expect(
      detectSpikes(histogram([...quiet(12, 1), 9, 1]), MINUTE, rule),
    ).toEqual([]);
    expect(
      detectSpikes(histogram([...quiet(12, 4), 11, 4]), MINUTE, rule),
    ).toEqual([]);
  });

  it('merges consecutive spike buckets, keeping the baseline of the first, and marks >= 10x critical', () => {
    const spikes = detectSpikes(
      histogram([...quiet(12, 2), 30, 50, 40, 7, 2]),
      MINUTE,
      rule,
    );
    expect(spikes).toHaveLength(1);
    expect(spikes[0]).toMatchObject({
      start: T0 + 12 * MINUTE,
      end: T0 + 15 * MINUTE,
      peakCount: 50,
      totalCount: 120,
      baseline: 2,
      ratio: 25,
      buckets: 3,
      critical: true,
      ongoing: false,
    });
  });

  it('does not let a long spike raise its own baseline and end itself', () => {
    // 20 buckets of 40 after a baseline of 1: a moving median would reach 40 halfway.
    const spikes = detectSpikes(
      histogram([...quiet(12, 1), ...quiet(20, 40), 1]),
      MINUTE,
      rule,
    );
    expect(spikes).toHaveLength(1);
    expect(spikes[0].buckets).toBe(20);
  });

  it('counts a baseline of 0 as 1 for the ratio, and says a spike reaching the last bucket is ongoing', () => {
    const [spike] = detectSpikes(
      histogram([...quiet(12, 0), 25, 30]),
      MINUTE,
      rule,
    );
    expect(spike).toMatchObject({
      baseline: 0,
      ratio: 30,
      ongoing: true,
      critical: true,
    });
  });

  it('finds two separate spikes, and none inside the baseline buckets', () => {
    const spikes = detectSpikes(
      histogram([50, ...quiet(11, 1), 20, 1, 1, 20, 1]),
      MINUTE,
      rule,
    );
    expect(spikes.map(s => (s.start - T0) / MINUTE)).toEqual([12, 15]);
  });

  it('follows its settings', () => {
    const strict = {
      minCount: 5,
      factor: 2,
      baselineBuckets: 3,
      criticalFactor: 4,
    };
    const spikes = detectSpikes(histogram([3, 3, 3, 6, 3]), MINUTE, strict);
    expect(spikes).toMatchObject([
      { peakCount: 6, baseline: 3, ratio: 2, critical: false },
    ]);
  });
});

describe('chooseInterval', () => {
  it('uses 1m up to 6 hours, 5m up to 3 days, 1h beyond', () => {
    expect(chooseInterval(6 * HOUR, 12).name).toBe('1m');
    expect(chooseInterval(6 * HOUR + 1, 12).name).toBe('5m');
    // A one-day view plus the 24-hour correlation look-back.
    expect(chooseInterval(2 * DAY + 5 * MINUTE, 12).name).toBe('5m');
    expect(chooseInterval(3 * DAY, 12).name).toBe('5m');
    expect(chooseInterval(3 * DAY + 1, 12).name).toBe('1h');
    expect(chooseInterval(31 * DAY, 12)).toEqual({
      name: '1h',
      ms: HOUR,
      upTo: Infinity,
    });
  });

  it("keeps a feed's interval while it fits, and coarsens it when the window would need too many buckets", () => {
    expect(chooseInterval(30 * HOUR, 12, '1m').name).toBe('1m');
    expect(chooseInterval(6 * HOUR, 12, '5m').name).toBe('5m');
    expect(chooseInterval(2 * DAY, 12, '1m').name).toBe('1m');
    // Past MAX_BUCKETS it takes what the window alone would get.
    const tooWide = (MAX_BUCKETS + 1) * MINUTE;
    expect(chooseInterval(tooWide, 12, '1m').name).toBe('1h');
    expect(chooseInterval(HOUR, 12, 'garbage').name).toBe('1m');
  });
});
