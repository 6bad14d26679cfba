import type {
  DashDoraMetrics,
  DashWindowQuery,
} from '@dash-suite/plugin-dash-common';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import {
  DAY,
  MIN,
  REF,
  ago,
  mockDashApi,
  renderCard,
  source,
} from '../cardStates/__testUtils__/dashCards';
import { DoraCard } from './DoraCard';

const days = (q: DashWindowQuery) =>
  Math.round((+new Date(q.to!) - +new Date(q.from!)) / DAY);

function metrics(
  q: DashWindowQuery,
  partial: Partial<DashDoraMetrics> = {},
): DashDoraMetrics {
  return {
    entityRef: REF,
    from: new Date(q.from!).toISOString(),
    to: new Date(q.to!).toISOString(),
    deployCount: 12,
    deploysPerDay: 0.4,
    leadTimeHours: 26.25,
    changeFailureRate: 0.167,
    timeToRestoreHours: 0.75,
    basis: {
      deploys: 12,
      mergedPullRequests: 30,
      failedDeploys: 2,
      resolvedIncidents: 4,
    },
    sources: [source({ id: 'github', title: 'GitHub' })],
    ...partial,
  };
}

/** A backend that allows at most `maxDays` and answers as its router does beyond that. */
function backend(maxDays = 31, partial: Partial<DashDoraMetrics> = {}) {
  return jest.fn(async (q: DashWindowQuery) => {
    const d = days(q);
    if (d > maxDays) {
      throw Object.assign(new Error('Request failed with 400 Bad Request'), {
        name: 'ResponseError',
        body: {
          error: {
            name: 'InputError',
            message: `to: the window is ${d} days; the widest allowed is ${maxDays} days`,
          },
        },
      });
    }
    return metrics(q, partial);
  });
}

/** The windows asked for with the whole period (the first call and any retry), in days. */
const mainWindows = (getDora: jest.Mock) =>
  getDora.mock.calls.map(([q]) => days(q)).filter(d => d >= 7);

describe('DoraCard', () => {
  it('shows a loading state while the backend answers', async () => {
    await renderCard(<DoraCard />);
    expect(
      screen.getByRole('status', { name: 'Loading DORA metrics' }),
    ).toBeInTheDocument();
  });

  it('shows the four metrics over 30 days, the counts behind them and a trend', async () => {
    const getDora = backend();
    await renderCard(<DoraCard />, { api: mockDashApi({ getDora }) });
    const frequency = await screen.findByRole('region', {
      name: 'Deployment frequency',
    });
    expect(within(frequency).getByText('2.8 / week')).toBeInTheDocument();
    expect(
      screen.getByRole('region', { name: 'Lead time for changes' }),
    ).toHaveTextContent('26.3 h');
    expect(
      screen.getByRole('region', { name: 'Change failure rate' }),
    ).toHaveTextContent('17 %');
    expect(
      screen.getByRole('region', { name: 'Time to restore' }),
    ).toHaveTextContent('45 min');
    expect(
      screen.getByText(
        'Over the last 30 days: 12 production deploys (2 failed), 30 merged pull requests, 4 resolved incidents.',
      ),
    ).toBeInTheDocument();
    expect(getDora.mock.calls[0][0].entityRef).toBe(REF);
    expect(days(getDora.mock.calls[0][0])).toBe(30);
    // Six sub-windows for the trend, each charted per metric.
    expect(
      await within(frequency).findByRole('img', {
        name: /^Deployment frequency trend/,
      }),
    ).toBeInTheDocument();
    expect(getDora).toHaveBeenCalledTimes(7);
    expect(screen.getAllByRole('img', { name: /trend/ })).toHaveLength(4);
  });

  it('asks for the period chosen', async () => {
    const getDora = backend();
    await renderCard(<DoraCard />, { api: mockDashApi({ getDora }) });
    await screen.findByRole('region', { name: 'Deployment frequency' });
    await userEvent.click(screen.getByRole('button', { name: '7 days' }));
    await waitFor(() =>
      expect(screen.getByText(/^Over the last 7 days/)).toBeInTheDocument(),
    );
    expect(screen.getByRole('button', { name: '7 days' })).toHaveAttribute(
      'aria-pressed',
      'true',
    );
  });

  it('clamps 90 days to the widest window the backend names, and remembers it', async () => {
    const getDora = backend(31);
    await renderCard(<DoraCard />, { api: mockDashApi({ getDora }) });
    await screen.findByRole('region', { name: 'Deployment frequency' });
    await userEvent.click(screen.getByRole('button', { name: '90 days' }));
    expect(
      await screen.findByText(
        'The last 31 days: the widest window the DASH backend allows.',
      ),
    ).toBeInTheDocument();
    expect(screen.getByText(/^Over the last 31 days/)).toBeInTheDocument();
    expect(mainWindows(getDora)).toEqual([30, 90, 31]);

    await userEvent.click(screen.getByRole('button', { name: '30 days' }));
    await screen.findByText(/^Over the last 30 days/);
    await userEvent.click(screen.getByRole('button', { name: '90 days' }));
    await screen.findByText(/^Over the last 31 days/);
    // Known now: no second 400.
    expect(mainWindows(getDora)).toEqual([30, 90, 31, 30, 31]);
  });

  it('says when there is nothing to measure', async () => {
    const getDora = backend(31, {
      deployCount: 0,
      deploysPerDay: 0,
      leadTimeHours: null,
      changeFailureRate: null,
      timeToRestoreHours: null,
      basis: {
        deploys: 0,
        mergedPullRequests: 0,
        failedDeploys: 0,
        resolvedIncidents: 0,
      },
    });
    await renderCard(<DoraCard />, { api: mockDashApi({ getDora }) });
    expect(
      await screen.findByText(
        'No production deploys, merged pull requests or resolved incidents in the last 30 days.',
      ),
    ).toBeInTheDocument();
  });

  it('shows no figure where a metric has no data', async () => {
    const getDora = backend(31, { leadTimeHours: null });
    await renderCard(<DoraCard />, { api: mockDashApi({ getDora }) });
    expect(
      await screen.findByRole('region', { name: 'Lead time for changes' }),
    ).toHaveTextContent('no data');
  });

  it('shows a degraded source with the age of its data', async () => {
    const getDora = backend(31, {
      sources: [
        source({
          id: 'pagerduty',
          title: 'PagerDuty',
          status: 'timed-out',
          fetchedAt: ago(4 * MIN),
        }),
      ],
    });
    await renderCard(<DoraCard />, { api: mockDashApi({ getDora }) });
    expect(
      await screen.findByText(/PagerDuty timed out, data from 4 min ago/),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('region', { name: 'Change failure rate' }),
    ).toBeInTheDocument();
  });

  it('keeps an error inside the card and retries on demand', async () => {
    const ok = backend();
    const getDora = jest
      .fn()
      .mockRejectedValueOnce(new Error('Request failed with 500'))
      .mockImplementation(ok);
    await renderCard(<DoraCard />, { api: mockDashApi({ getDora }) });
    expect(
      await screen.findByText(
        'Could not load DORA metrics: Request failed with 500',
      ),
    ).toBeInTheDocument();
    await userEvent.click(screen.getByRole('button', { name: 'Retry' }));
    expect(
      await screen.findByRole('region', { name: 'Time to restore' }),
    ).toBeInTheDocument();
  });

  it('shows the metrics when only the trend fails', async () => {
    const ok = backend();
    const getDora = jest.fn(async (q: DashWindowQuery) => {
      if (days(q) < 7) throw new Error('Request failed with 503');
      return ok(q);
    });
    await renderCard(<DoraCard />, { api: mockDashApi({ getDora }) });
    expect(
      await screen.findByText('Trend unavailable: Request failed with 503'),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('region', { name: 'Time to restore' }),
    ).toHaveTextContent('45 min');
  });
});
