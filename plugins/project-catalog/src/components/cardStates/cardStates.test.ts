import { describeSource } from './SourceNotes';
import { fetchWithinLimit, windowLimitDays } from './windowLimit';
import { source } from './__testUtils__/dashCards';

describe('windowLimitDays', () => {
  it('reads the limit from the backend error body or message', () => {
    const message = 'to: the window is 90 days; the widest allowed is 31 days';
    expect(windowLimitDays({ body: { error: { message } } })).toBe(31);
    expect(windowLimitDays(new Error(`Request failed, ${message}`))).toBe(31);
    expect(
      windowLimitDays(new Error('from: must be before to')),
    ).toBeUndefined();
    expect(windowLimitDays(undefined)).toBeUndefined();
  });

  it('retries once with the limit, and only when it is smaller', async () => {
    const tooWide = new Error('the widest allowed is 31 days');
    const fetcher = jest.fn(async (days: number) => {
      if (days > 31) throw tooWide;
      return days;
    });
    await expect(fetchWithinLimit(90, fetcher)).resolves.toEqual({
      value: 31,
      days: 31,
      limitDays: 31,
    });
    const always = jest.fn(async () => Promise.reject(tooWide));
    await expect(fetchWithinLimit(7, always)).rejects.toBe(tooWide);
    expect(always).toHaveBeenCalledTimes(1);
  });
});

describe('describeSource', () => {
  const now = Date.parse('2026-03-03T12:00:00Z');
  it('says status, age and retry time in words', () => {
    expect(
      describeSource(
        source({
          id: 'pagerduty',
          title: 'PagerDuty',
          status: 'rate-limited',
          fetchedAt: '2026-03-03T11:56:00Z',
        }),
        now,
      ),
    ).toBe('PagerDuty rate limited, data from 4 min ago');
    expect(
      describeSource(
        source({ id: 'kibana', title: 'Kibana', status: 'not-configured' }),
        now,
      ),
    ).toBe('Kibana not configured');
    expect(
      describeSource(
        source({ id: 'github', title: 'GitHub', status: 'not-allowed' }),
        now,
      ),
    ).toBe('GitHub not allowed');
    expect(
      describeSource(
        source({
          id: 'x',
          title: '',
          status: 'timed-out',
          fetchedAt: undefined,
        }),
        now,
      ),
    ).toBe('x timed out, no data yet');
  });
});
