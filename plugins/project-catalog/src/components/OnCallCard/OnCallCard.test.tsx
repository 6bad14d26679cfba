import type { DashOnCallResponse } from '@dash-suite/plugin-dash-common';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { dashApiRef } from '@dash-suite/plugin-dash';
import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import {
  HOUR,
  MIN,
  NOW,
  REF,
  mockDashApi,
  renderCard,
  source,
} from '../cardStates/__testUtils__/dashCards';
import { OnCallCard, nextHandoff } from './OnCallCard';

const at = (ms: number) => new Date(NOW + ms).toISOString();

function response(
  partial: Partial<DashOnCallResponse> = {},
): DashOnCallResponse {
  return {
    entityRef: REF,
    onCall: [
      {
        source: 'pagerduty',
        entityRef: REF,
        escalationLevel: 1,
        user: {
          name: 'Ada Lovelace',
          email: 'ada@example.com',
          url: 'https://acme.pagerduty.com/users/PADA',
        },
        schedule: 'Payments primary',
        start: at(-5 * HOUR),
        end: at(3 * HOUR),
        url: 'https://acme.pagerduty.com/schedules/PSCHED',
      },
      {
        source: 'pagerduty',
        entityRef: REF,
        escalationLevel: 2,
        // A script URL, which must never become a link.
        user: {
          name: 'Grace Hopper',
          url: ['javascript', 'alert(1)'].join(':'),
        },
        schedule: 'Payments secondary',
        end: at(26 * HOUR),
      },
      {
        source: 'pagerduty',
        entityRef: REF,
        escalationLevel: 3,
        user: { name: 'Team lead', email: 'not an address' },
      },
    ],
    sources: [source({ id: 'pagerduty', title: 'PagerDuty' })],
    ...partial,
  };
}

describe('OnCallCard', () => {
  it('shows a loading state while the backend answers', async () => {
    await renderCard(<OnCallCard />);
    expect(
      screen.getByRole('status', { name: 'Loading on-call' }),
    ).toBeInTheDocument();
  });

  it('shows who is on call per level, until when and how to reach them', async () => {
    const api = mockDashApi({ getOnCall: jest.fn(async () => response()) });
    await renderCard(<OnCallCard />, { api });
    expect(api.getOnCall).toHaveBeenCalledWith(REF);

    const level1 = await screen.findByRole('region', {
      name: 'Escalation level 1',
    });
    expect(
      within(level1).getByRole('link', { name: /^Ada Lovelace/ }),
    ).toHaveAttribute('href', 'https://acme.pagerduty.com/users/PADA');
    expect(
      within(level1).getByRole('link', { name: /^Payments primary/ }),
    ).toHaveAttribute('href', 'https://acme.pagerduty.com/schedules/PSCHED');
    expect(
      within(level1).getByRole('link', { name: /^ada@example.com/ }),
    ).toHaveAttribute('href', 'mailto:ada@example.com');
    expect(within(level1).getByText(/until .* \(in 3 h\)/)).toBeInTheDocument();

    const level2 = screen.getByRole('region', { name: 'Escalation level 2' });
    expect(within(level2).getByText('Grace Hopper')).toBeInTheDocument();
    expect(
      within(level2).queryByRole('link', { name: /^Grace Hopper/ }),
    ).toBeNull();

    const level3 = screen.getByRole('region', { name: 'Escalation level 3' });
    expect(within(level3).getByText('no end (permanent)')).toBeInTheDocument();
    expect(within(level3).queryByRole('link')).toBeNull();

    expect(
      screen.getByText(
        /Next hand-off: .* \(in 3 h\), when the level 1 shift of Ada Lovelace \(Payments primary\) ends/,
      ),
    ).toBeInTheDocument();
    expect(screen.queryByLabelText('Source status')).toBeNull();
  });

  it('says when no on-call source applies to the entity', async () => {
    const api = mockDashApi({
      getOnCall: jest.fn(async () => response({ onCall: [], sources: [] })),
    });
    await renderCard(<OnCallCard />, { api });
    expect(
      await screen.findByText('No on-call source applies to this entity.'),
    ).toBeInTheDocument();
    expect(screen.getByText(/pagerduty.com\/service-id/)).toBeInTheDocument();
  });

  it('says when nobody is on call', async () => {
    const api = mockDashApi({
      getOnCall: jest.fn(async () => response({ onCall: [] })),
    });
    await renderCard(<OnCallCard />, { api });
    expect(
      await screen.findByText('Nobody is on call right now.'),
    ).toBeInTheDocument();
  });

  it('shows a degraded source with its reason and the age of its data', async () => {
    const api = mockDashApi({
      getOnCall: jest.fn(async () =>
        response({
          sources: [
            source({
              id: 'pagerduty',
              title: 'PagerDuty',
              status: 'rate-limited',
              fetchedAt: new Date(NOW - 4 * MIN).toISOString(),
              message: 'PagerDuty answered 429 Too Many Requests',
            }),
          ],
        }),
      ),
    });
    await renderCard(<OnCallCard />, { api });
    const notes = await screen.findByLabelText('Source status');
    expect(
      within(notes).getByText(/PagerDuty rate limited, data from 4 min ago/),
    ).toBeInTheDocument();
    expect(
      within(notes).getByText('PagerDuty answered 429 Too Many Requests'),
    ).toBeInTheDocument();
    // The data it has is still shown.
    expect(screen.getByText('Ada Lovelace')).toBeInTheDocument();
  });

  it('says when every source failed and there is nothing to show', async () => {
    const api = mockDashApi({
      getOnCall: jest.fn(async () =>
        response({
          onCall: [],
          sources: [
            source({
              id: 'pagerduty',
              title: 'PagerDuty',
              status: 'unauthorized',
              fetchedAt: undefined,
              message: 'The token was refused (401)',
            }),
          ],
        }),
      ),
    });
    await renderCard(<OnCallCard />, { api });
    expect(
      await screen.findByText(/PagerDuty unauthorized, no data yet/),
    ).toBeInTheDocument();
    expect(
      screen.getByText('No on-call data: no source could answer.'),
    ).toBeInTheDocument();
  });

  it('keeps an error inside the card and retries on demand', async () => {
    const getOnCall = jest
      .fn()
      .mockRejectedValueOnce(new Error('Request failed with 503'))
      .mockResolvedValueOnce(response());
    await renderCard(<OnCallCard />, { api: mockDashApi({ getOnCall }) });
    expect(
      await screen.findByText(
        /Could not load who is on call: Request failed with 503/,
      ),
    ).toBeInTheDocument();
    await userEvent.click(screen.getByRole('button', { name: 'Retry' }));
    expect(await screen.findByText('Ada Lovelace')).toBeInTheDocument();
  });

  it('keeps a render failure inside the card, not the page', async () => {
    jest.spyOn(console, 'error').mockImplementation(() => {});
    // No entity around the card: its content throws, the card's ErrorBoundary catches it.
    await renderInTestApp(
      <TestApiProvider apis={[[dashApiRef, mockDashApi()]]}>
        <p>Rest of the page</p>
        <OnCallCard />
      </TestApiProvider>,
    );
    expect(screen.getByText('Rest of the page')).toBeInTheDocument();
    expect(screen.getByText(/Something Went Wrong/i)).toBeInTheDocument();
  });

  it('says so when the app has no DASH API', async () => {
    await renderCard(<OnCallCard />, { api: null });
    expect(screen.getByText('DASH is not installed.')).toBeInTheDocument();
  });

  it('picks the earliest shift end that is still ahead as the next hand-off', () => {
    const { onCall } = response();
    expect(nextHandoff(onCall, NOW)?.user.name).toBe('Ada Lovelace');
    expect(nextHandoff(onCall, NOW + 4 * HOUR)?.user.name).toBe('Grace Hopper');
    expect(nextHandoff(onCall, NOW + 30 * HOUR)).toBeUndefined();
  });
});
