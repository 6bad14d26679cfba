import { formatHours, trendBuckets } from './metrics';

const DAY = 24 * 3_600_000;

describe('metrics', () => {
  it('formats hours as minutes, hours or days', () => {
    expect(formatHours(0.5)).toBe('30 min');
    expect(formatHours(3.44)).toBe('3.4 h');
    expect(formatHours(50)).toBe('2.1 d');
  });

  it('splits a week into days and longer periods into six parts that tile the window', () => {
    expect(trendBuckets(0, 7 * DAY)).toHaveLength(7);
    const parts = trendBuckets(0, 31 * DAY);
    expect(parts).toHaveLength(6);
    expect(parts[0].from).toBe(0);
    expect(parts[5].to).toBe(31 * DAY);
    parts.slice(1).forEach((p, i) => expect(p.from).toBe(parts[i].to));
  });
});
