import {
  axisTicks,
  formatAge,
  formatDuration,
  formatWindow,
  fromInputValue,
  matchingPreset,
  toInputValue,
  zoneLabel,
} from './time';

const FROM = Date.parse('2026-03-03T00:00:00Z');

describe('time', () => {
  it('formats ages and durations in words', () => {
    expect(formatAge(12_000)).toBe('12 s');
    expect(formatAge(12 * 60_000)).toBe('12 min');
    expect(formatAge(3 * 3_600_000)).toBe('3 h');
    expect(formatAge(3 * 86_400_000)).toBe('3 d');
    expect(formatAge(-5)).toBe('0 s');
    expect(formatDuration(40 * 60_000)).toBe('40 min');
    expect(formatDuration(80 * 60_000)).toBe('1 h 20 min');
    expect(formatDuration(26 * 3_600_000 + 5 * 60_000)).toBe('1 d 2 h');
    expect(formatDuration(30_000)).toBe('30 s');
  });

  it('labels the zone and formats windows in it', () => {
    expect(zoneLabel('utc')).toBe('UTC');
    expect(zoneLabel('local')).toBe('GMT+1');
    expect(formatWindow(FROM, FROM + 6 * 3_600_000, 'utc')).toBe(
      'Tue 3 Mar 2026 00:00 – 06:00 UTC',
    );
    expect(formatWindow(FROM, FROM + 30 * 3_600_000, 'local')).toBe(
      'Tue 3 Mar 2026 01:00 – Wed 4 Mar 07:00 GMT+1',
    );
  });

  it('reads and writes datetime-local values in the chosen zone', () => {
    expect(toInputValue(FROM, 'utc')).toBe('2026-03-03T00:00');
    expect(toInputValue(FROM, 'local')).toBe('2026-03-03T01:00');
    expect(fromInputValue('2026-03-03T01:00', 'local')).toBe(FROM);
    expect(fromInputValue('2026-03-03T00:00', 'utc')).toBe(FROM);
    expect(fromInputValue('', 'utc')).toBeUndefined();
    expect(fromInputValue('not a time', 'local')).toBeUndefined();
  });

  it('recognizes windows of a preset length', () => {
    expect(matchingPreset(FROM, FROM + 3_600_000)).toBe('1h');
    expect(matchingPreset(FROM, FROM + 7 * 86_400_000)).toBe('7d');
    expect(matchingPreset(FROM, FROM + 2 * 3_600_000)).toBeUndefined();
  });

  it('puts a bounded number of round ticks on the axis, aligned in the zone', () => {
    const six = axisTicks(FROM, FROM + 6 * 3_600_000, 'utc');
    expect(six.map(t => t.label)).toEqual([
      'Tue 3 Mar',
      '01:00',
      '02:00',
      '03:00',
      '04:00',
      '05:00',
      '06:00',
    ]);
    const local = axisTicks(FROM + 60_000, FROM + 3_600_000, 'local');
    expect(local.every(t => t.t >= FROM + 60_000)).toBe(true);
    expect(local.length).toBeLessThanOrEqual(8);
    expect(local[0].label).toBe('01:10');
    const week = axisTicks(FROM, FROM + 7 * 86_400_000, 'utc');
    expect(week.length).toBeLessThanOrEqual(8);
    expect(week[0].label).toBe('Tue 3 Mar');
    expect(axisTicks(FROM, FROM, 'utc')).toEqual([]);
  });
});
