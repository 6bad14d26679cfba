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
