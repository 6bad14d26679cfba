import { ConfigReader } from '@backstage/config';
import { readDashSettings } from './config';

describe('readDashSettings guard', () => {
  it('reads a source guard burst over the defaults, and leaves it unset otherwise', () => {
    const settings = readDashSettings(
      new ConfigReader({
        dash: {
          guard: { timeoutMs: 5000 },
          sources: {
            github: { guard: { requestsPerMinute: 80, burst: 20 } },
          },
        },
      }),
    );
    expect(settings.guard('github')).toMatchObject({
      timeoutMs: 5000,
      requestsPerMinute: 80,
      burst: 20,
    });
    expect(settings.guard('pagerduty').burst).toBeUndefined();
  });

  it.each([0, 2.5, -1])('refuses a burst of %p, naming the key', burst => {
    expect(() =>
      readDashSettings(
        new ConfigReader({
          dash: { sources: { github: { guard: { burst } } } },
        }),
      ).guard('github'),
    ).toThrow(/dash\.sources\.github\.guard\.burst must be a whole number/);
  });
});

describe('readDashSettings answer cache', () => {
  const read = (answerCache?: object) =>
    readDashSettings(
      new ConfigReader({ dash: answerCache ? { answerCache } : {} }),
    ).answerCache;

  it('reuses feed states for a second by default, never longer than answers', () => {
    expect(read()).toMatchObject({ ttlMs: 5000, feedStatesMs: 1000 });
    expect(read({ feedStatesSeconds: 3 })).toMatchObject({
      feedStatesMs: 3000,
    });
    expect(read({ ttlSeconds: 0 })).toMatchObject({
      ttlMs: 0,
      feedStatesMs: 0,
    });
    expect(read({ ttlSeconds: 2, feedStatesSeconds: 10 })).toMatchObject({
      feedStatesMs: 2000,
    });
  });

  it('refuses a negative feedStatesSeconds, naming the key', () => {
    expect(() => read({ feedStatesSeconds: -1 })).toThrow(
      /answerCache\.feedStatesSeconds/,
    );
  });
});

describe('readDashSettings pre-warming', () => {
  it('starts the first run 15 s after the backend, or when configured', () => {
    expect(readDashSettings(new ConfigReader({})).prewarm.initialDelayMs).toBe(
      15_000,
    );
    expect(
      readDashSettings(
        new ConfigReader({
          dash: { refresh: { prewarm: { initialDelaySeconds: 1 } } },
        }),
      ).prewarm.initialDelayMs,
    ).toBe(1_000);
    expect(() =>
      readDashSettings(
        new ConfigReader({
          dash: { refresh: { prewarm: { initialDelaySeconds: -1 } } },
        }),
      ),
    ).toThrow(/dash\.refresh\.prewarm\.initialDelaySeconds/);
  });
});
