import { mockServices } from '@backstage/backend-test-utils';
import { DAY_MS } from '@dash-suite/plugin-dash-common';
import { readDashCollatorSettings } from './config';

const read = (data: mockServices.rootConfig.Options['data']) =>
  readDashCollatorSettings(mockServices.rootConfig({ data }));

describe('readDashCollatorSettings', () => {
  it('defaults to 30 days, every 10 minutes', () => {
    expect(read({})).toEqual({
      retentionMs: 30 * DAY_MS,
      schedule: {
        frequency: { minutes: 10 },
        timeout: { minutes: 15 },
        initialDelay: { seconds: 3 },
      },
    });
  });

  it('reads search.collators.dash', () => {
    const settings = read({
      search: {
        collators: {
          dash: {
            retentionDays: 7,
            schedule: { frequency: { seconds: 10 }, timeout: { minutes: 2 } },
          },
        },
      },
    });
    expect(settings.retentionMs).toBe(7 * DAY_MS);
    expect(settings.schedule).toMatchObject({
      frequency: { seconds: 10 },
      timeout: { minutes: 2 },
    });
  });

  it('refuses a retention that is not a positive number of days', () => {
    expect(() =>
      read({ search: { collators: { dash: { retentionDays: 0 } } } }),
    ).toThrow('search.collators.dash.retentionDays must be a positive number');
  });
});
