import { ServerTiming } from './ServerTiming';

/** A clock that moves only when told. */
function steppedClock() {
  let now = 1000;
  return {
    clock: () => now,
    advance: (ms: number) => {
      now += ms;
    },
  };
}

describe('ServerTiming', () => {
  it('is empty until something is timed', () => {
    expect(new ServerTiming().header()).toBe('');
  });

  it('adds up a phase timed twice, in the order phases first appeared', async () => {
    const { clock, advance } = steppedClock();
    const timing = new ServerTiming(clock);
    await timing.time('read', async () => advance(2.5));
    timing.timeSync('correlate', () => advance(4));
    await timing.time('read', async () => advance(1.25));
    advance(0.5);
    expect(timing.header()).toBe(
      'read;dur=3.8, correlate;dur=4.0, total;dur=8.3',
    );
  });

  it('returns what the work returns', async () => {
    const timing = new ServerTiming();
    expect(await timing.time('a', async () => 7)).toBe(7);
    expect(timing.timeSync('b', () => 'x')).toBe('x');
  });

  it('times work that fails, and lets the failure through', async () => {
    const { clock, advance } = steppedClock();
    const timing = new ServerTiming(clock);
    await expect(
      timing.time('feeds', async () => {
        advance(30);
        throw new Error('upstream down');
      }),
    ).rejects.toThrow('upstream down');
    expect(() =>
      timing.timeSync('correlate', () => {
        advance(1);
        throw new Error('bad');
      }),
    ).toThrow('bad');
    expect(timing.header()).toBe(
      'feeds;dur=30.0, correlate;dur=1.0, total;dur=31.0',
    );
  });

  it('writes notes as descriptions, beside a duration, without quotes that would end them', () => {
    const { clock, advance } = steppedClock();
    const timing = new ServerTiming(clock);
    timing.note('answer', 'computed');
    timing.timeSync('gzip', () => advance(2));
    timing.note('gzip', 'level "3"');
    expect(timing.header()).toBe(
      'answer;desc="computed", gzip;desc="level 3";dur=2.0, total;dur=2.0',
    );
  });
});
