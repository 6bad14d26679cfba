import { isoTime, parseIsoTime } from './isoTime';

describe('isoTime', () => {
  it('formats every time as toISOString does', () => {
    const times = [
      0,
      -1,
      1,
      999,
      86_399_999,
      86_400_000,
      Date.parse('2026-12-03T13:07:24.123Z'),
      Date.parse('2024-02-29T23:59:59.999Z'),
      253_402_300_799_999, // 9999-12-31T23:59:59.999Z
      253_402_300_800_000, // +010000-01-01
      -62_167_219_200_000, // 0000-01-01
      -62_167_219_200_001, // -000001-12-31
      8.64e15,
      -8.64e15,
    ];
    // Sorted runs on one day (the cached date part) and jumps between days alike.
    let seed = 42;
    const random = () => {
      seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
      return seed / 2_147_483_648;
    };
    for (let i = 0; i < 5_000; i++) {
      times.push(Math.floor((random() - 0.3) * 4e14));
      times.push(times[times.length - 1] + Math.floor(random() * 100_000));
    }
    for (const ms of times) {
      expect(isoTime(ms)).toBe(new Date(ms).toISOString());
    }
  });

  it('throws for an invalid time, as toISOString does', () => {
    isoTime(0);
    expect(() => isoTime(NaN)).toThrow(RangeError);
    expect(() => isoTime(8.64e15 + 1)).toThrow(RangeError);
    expect(() => isoTime(Infinity)).toThrow(RangeError);
    // and the cache is not spoiled by a failure
    expect(isoTime(1000)).toBe('1970-01-01T00:00:01.000Z');
  });
});

describe('parseIsoTime', () => {
  it('parses every time as Date.parse does', () => {
    const strings: string[] = [];
    let ms = Date.parse('2026-12-01T00:00:00.000Z');
    for (let i = 0; i < 5_000; i++) {
      ms += (i * 7919) % 3_700_000;
      strings.push(new Date(ms).toISOString());
    }
    strings.push(
      '2026-12-01T12:00:00.000Z',
      '2026-12-01T12:00:00Z',
      '2026-12-01T12:00:00.000+02:00',
      '2026-12-01T24:00:00.000Z',
      '2026-12-01T23:60:00.000Z',
      '2026-12-01T23:59:60.000Z',
      '2026-12-01T2x:00:00.000Z',
      '2026-12-01T12:00:00,000Z',
      '2026-12-01 12:00:00.000Z',
      '2026-12-01',
      'yesterday',
      '',
      '+010000-01-01T00:00:00.000Z',
      '0000-01-01T00:00:00.000Z',
    );
    for (const s of strings) {
      // twice: once through Date.parse, once through the cached day
      expect(parseIsoTime(s)).toEqual(Date.parse(s));
      expect(parseIsoTime(s)).toEqual(Date.parse(s));
    }
  });

  it('reads back what isoTime wrote', () => {
    for (let ms = -86_400_000; ms < 3 * 86_400_000; ms += 999_983) {
      expect(parseIsoTime(isoTime(ms))).toBe(ms);
    }
  });
});
