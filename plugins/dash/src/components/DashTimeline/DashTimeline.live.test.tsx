import { act, fireEvent, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import {
  PAYMENTS,
  WINDOW_QUERY,
  currentParams,
  event,
  mockDashApi,
  renderWithApis,
  timelineResponse,
} from '../../__testUtils__/fixtures';
import { NEW_EVENT_HIGHLIGHT_MS } from '../../hooks/useTimeline';
import { DashTimeline } from './DashTimeline';

const NOW = Date.parse('2026-03-03T06:00:00Z');

function setVisibility(state: 'visible' | 'hidden') {
  Object.defineProperty(document, 'visibilityState', {
    configurable: true,
    get: () => state,
  });
  document.dispatchEvent(new Event('visibilitychange'));
}

async function advance(ms: number) {
  await act(async () => {
    jest.advanceTimersByTime(ms);
  });
}

describe('DashTimeline: live mode', () => {
  beforeEach(() => {
    jest.useFakeTimers({ now: NOW });
    setVisibility('visible');
  });
  afterEach(() => {
    jest.useRealTimers();
  });

  it('polls every 15 s while visible, slides the window to now, and announces and highlights new events', async () => {
    const arrived = event({
      id: 'pagerduty:INC2',
      source: 'pagerduty',
      kind: 'incident',
      severity: 'critical',
      title: 'Checkout failing for EU customers',
      startTime: '2026-03-03T06:00:10Z',
    });
    const api = mockDashApi();
    const first = timelineResponse();
    api.getTimeline
      .mockResolvedValueOnce(first)
      .mockResolvedValueOnce({
        ...first,
        events: [...first.events, arrived],
        generatedAt: '2026-03-03T06:00:15Z',
      })
      .mockResolvedValue({
        ...first,
        events: [...first.events, arrived],
        generatedAt: '2026-03-03T06:00:30Z',
      });
    await renderWithApis(<DashTimeline entityRefs={[PAYMENTS]} />, {
      api,
      route: `/dash?${WINDOW_QUERY}&live=1`,
    });
    await act(async () => {});
    expect(screen.getByRole('checkbox', { name: 'Live' })).toBeChecked();
    expect(api.getTimeline).toHaveBeenCalledTimes(1);
    expect(
      screen.getByText('Last updated 2026-03-03 07:00:05 GMT+1'),
    ).toBeInTheDocument();
    expect(screen.getAllByRole('option')).toHaveLength(6);
    // The keyboard cursor is on the second newest event.
    const listbox = screen.getByRole('listbox');
    act(() => listbox.focus());
    fireEvent.keyDown(listbox, { key: 'j' });
    const cursor = () =>
      document
        .getElementById(listbox.getAttribute('aria-activedescendant')!)
        ?.getAttribute('data-event-id');
    expect(cursor()).toBe('kibana:spike-1');

    await advance(15_000);
    expect(api.getTimeline).toHaveBeenCalledTimes(2);
    // The 6 h window slid forward with the clock.
    expect(api.getTimeline).toHaveBeenLastCalledWith(
      expect.objectContaining({
        from: new Date('2026-03-03T00:00:15Z'),
        to: new Date('2026-03-03T06:00:15Z'),
        // Live mode asks the backend for fresher data.
        live: true,
      }),
    );
    const list = screen.getByRole('listbox');
    const rows = within(list).getAllByRole('option');
    expect(rows).toHaveLength(7);
    expect(rows[0]).toHaveAttribute('data-event-id', 'pagerduty:INC2');
    expect(rows[0]).toHaveTextContent('New');
    expect(rows[1]).not.toHaveTextContent('New');
    // The new event at the top did not move the cursor to another event.
    expect(cursor()).toBe('kibana:spike-1');
    // Said politely, without moving focus.
    const status = screen
      .getAllByRole('status')
      .find(el => el.getAttribute('aria-live') === 'polite')!;
    expect(status).toHaveTextContent(
      '1 new event: PagerDuty incident: Checkout failing for EU customers',
    );
    expect(
      screen.getByText('Last updated 2026-03-03 07:00:15 GMT+1'),
    ).toBeInTheDocument();

    // The highlight fades.
    await advance(NEW_EVENT_HIGHLIGHT_MS);
    expect(within(list).getAllByRole('option')[0]).not.toHaveTextContent('New');
  });

  it('does not poll while the tab is hidden, and catches up when it shows again', async () => {
    const api = mockDashApi();
    await renderWithApis(<DashTimeline entityRefs={[PAYMENTS]} />, {
      api,
      route: `/dash?${WINDOW_QUERY}&live=1`,
    });
    await act(async () => {});
    expect(api.getTimeline).toHaveBeenCalledTimes(1);
    act(() => setVisibility('hidden'));
    await advance(60_000);
    expect(api.getTimeline).toHaveBeenCalledTimes(1);
    act(() => setVisibility('visible'));
    await act(async () => {});
    expect(api.getTimeline).toHaveBeenCalledTimes(2);
  });

  it('does not poll when live mode is off; turning it on starts, turning it off freezes the window', async () => {
    const api = mockDashApi();
    await renderWithApis(<DashTimeline entityRefs={[PAYMENTS]} />, {
      api,
      route: `/dash?from=2026-03-03T05:00:00Z&to=2026-03-03T06:00:00Z`,
    });
    await act(async () => {});
    await advance(60_000);
    expect(api.getTimeline).toHaveBeenCalledTimes(1);

    const user = userEvent.setup({ advanceTimers: jest.advanceTimersByTime });
    await user.click(screen.getByRole('checkbox', { name: 'Live' }));
    expect(currentParams().get('live')).toBe('1');
    await act(async () => {});
    // Live mode jumps to now (06:01:00 by the fake clock), keeping the 1 h length.
    expect(api.getTimeline).toHaveBeenLastCalledWith(
      expect.objectContaining({
        from: new Date('2026-03-03T05:01:00Z'),
        to: new Date('2026-03-03T06:01:00Z'),
      }),
    );
    const calls = api.getTimeline.mock.calls.length;
    await advance(15_000);
    expect(api.getTimeline).toHaveBeenCalledTimes(calls + 1);

    await user.click(screen.getByRole('checkbox', { name: 'Live' }));
    const params = currentParams();
    expect(params.get('live')).toBeNull();
    expect(params.get('from')).toBe('2026-03-03T05:01:15Z');
    expect(params.get('to')).toBe('2026-03-03T06:01:15Z');
    const frozen = api.getTimeline.mock.calls.length;
    await advance(45_000);
    expect(api.getTimeline).toHaveBeenCalledTimes(frozen);
  });

  it('keeps the last answer when a live update fails, and says so', async () => {
    const api = mockDashApi();
    api.getTimeline
      .mockResolvedValueOnce(timelineResponse())
      .mockRejectedValueOnce(new Error('Bad Gateway'));
    await renderWithApis(<DashTimeline entityRefs={[PAYMENTS]} />, {
      api,
      route: `/dash?${WINDOW_QUERY}&live=1`,
    });
    await act(async () => {});
    await advance(15_000);
    expect(
      screen.getByText(/Live update failed: Bad Gateway/),
    ).toBeInTheDocument();
    expect(screen.getAllByRole('option')).toHaveLength(6);
  });
});
