import { act, screen, within } from '@testing-library/react';
import {
  PAYMENTS,
  WINDOW_QUERY,
  event,
  mockDashApi,
  mockSignalApi,
  renderWithApis,
  timelineResponse,
} from '../../__testUtils__/fixtures';
import { DashTimeline } from './DashTimeline';

const NOW = Date.parse('2026-03-03T06:00:00Z');
const CHANNEL = 'dash:timeline:component:default/payments-api';

async function advance(ms: number) {
  await act(async () => {
    jest.advanceTimersByTime(ms);
  });
}

describe('DashTimeline: live mode with Signals', () => {
  beforeEach(() => {
    jest.useFakeTimers({ now: NOW });
    Object.defineProperty(document, 'visibilityState', {
      configurable: true,
      get: () => 'visible',
    });
  });
  afterEach(() => {
    jest.useRealTimers();
  });

  it('refetches at once on a signal for the entity, then only polls as a safety net', async () => {
    const arrived = event({
      id: 'github:deploy-9',
      source: 'github',
      kind: 'deploy',
      title: 'Deploy v9 to production',
      startTime: '2026-03-03T06:00:02Z',
    });
    const api = mockDashApi();
    const first = timelineResponse();
    api.getTimeline
      .mockResolvedValueOnce(first)
      .mockResolvedValue({ ...first, events: [...first.events, arrived] });
    const signals = mockSignalApi();
    await renderWithApis(<DashTimeline entityRefs={[PAYMENTS]} />, {
      api,
      signalApi: signals,
      route: `/dash?${WINDOW_QUERY}&live=1`,
    });
    await act(async () => {});
    expect(signals.channels()).toEqual([CHANNEL]);
    expect(api.getTimeline).toHaveBeenCalledTimes(1);
    // The backend is told that this tab listens (it keeps the feeds fresh and signals).
    expect(api.getTimeline).toHaveBeenLastCalledWith(
      expect.objectContaining({ live: true, push: true }),
    );
    expect(screen.getByTestId('live-note')).toHaveTextContent(
      'push pending, polling every 15 s',
    );

    // A signal for another entity changes nothing.
    await act(async () => {
      signals.emit('dash:timeline:component:default/other', {
        entityRef: 'component:default/other',
        sources: ['github'],
      });
    });
    expect(api.getTimeline).toHaveBeenCalledTimes(1);

    await advance(2_000);
    await act(async () => {
      signals.emit(CHANNEL, { entityRef: PAYMENTS, sources: ['github'] });
    });
    // At once, with the window slid to now.
    expect(api.getTimeline).toHaveBeenCalledTimes(2);
    expect(api.getTimeline).toHaveBeenLastCalledWith(
      expect.objectContaining({
        to: new Date('2026-03-03T06:00:02Z'),
        live: true,
        push: true,
      }),
    );
    const rows = within(screen.getByRole('listbox')).getAllByRole('option');
    expect(rows[0]).toHaveAttribute('data-event-id', 'github:deploy-9');
    expect(rows[0]).toHaveTextContent('New');
    expect(screen.getByTestId('live-note')).toHaveTextContent(
      'push (safety poll every 60 s)',
    );

    // Signals work: no poll at 15 s, a safety poll at 60 s.
    await advance(15_000);
    expect(api.getTimeline).toHaveBeenCalledTimes(2);
    await advance(45_000);
    expect(api.getTimeline).toHaveBeenCalledTimes(3);
  });

  it('stops listening when live mode is off', async () => {
    const signals = mockSignalApi();
    const view = await renderWithApis(
      <DashTimeline entityRefs={[PAYMENTS]} />,
      { signalApi: signals, route: `/dash?${WINDOW_QUERY}&live=1` },
    );
    await act(async () => {});
    expect(signals.channels()).toEqual([CHANNEL]);
    view.unmount();
    expect(signals.channels()).toEqual([]);

    const off = mockSignalApi();
    const { api } = await renderWithApis(
      <DashTimeline entityRefs={[PAYMENTS]} />,
      { signalApi: off, route: `/dash?${WINDOW_QUERY}` },
    );
    await act(async () => {});
    expect(off.subscribe).not.toHaveBeenCalled();
    expect(api.getTimeline).toHaveBeenLastCalledWith(
      expect.not.objectContaining({ push: true }),
    );
  });

  it('without Signals in the app, polls every 15 s as before and says so', async () => {
    const api = mockDashApi();
    await renderWithApis(<DashTimeline entityRefs={[PAYMENTS]} />, {
      api,
      route: `/dash?${WINDOW_QUERY}&live=1`,
    });
    await act(async () => {});
    expect(api.getTimeline).toHaveBeenLastCalledWith(
      expect.not.objectContaining({ push: true }),
    );
    expect(screen.getByTestId('live-note')).toHaveTextContent(
      'polling every 15 s',
    );
    await advance(15_000);
    expect(api.getTimeline).toHaveBeenCalledTimes(2);
    await advance(15_000);
    expect(api.getTimeline).toHaveBeenCalledTimes(3);
  });
});
