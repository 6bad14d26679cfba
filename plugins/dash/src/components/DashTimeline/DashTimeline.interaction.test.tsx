import {
  act,
  fireEvent,
  screen,
  waitFor,
  within,
} from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { MockStorageApi } from '@backstage/test-utils';
import {
  PAYMENTS,
  WINDOW_QUERY,
  alert,
  currentParams,
  deploy,
  flag,
  incident,
  mockDashApi,
  renderWithApis,
  sourceStates,
  timelineResponse,
} from '../../__testUtils__/fixtures';
import { DashTimeline } from './DashTimeline';

function row(id: string) {
  return screen
    .getAllByRole('option')
    .find(r => r.getAttribute('data-event-id') === id)!;
}

describe('DashTimeline: likely causes', () => {
  it('selecting an incident ranks its likely causes with reasons and scores, and draws the look-back window', async () => {
    await renderWithApis(<DashTimeline entityRefs={[PAYMENTS]} />);
    await screen.findByRole('listbox');
    expect(screen.queryByTestId('lookback-window')).not.toBeInTheDocument();

    await userEvent.click(row(incident.id));
    expect(currentParams().get('event')).toBe(incident.id);
    const causes = screen.getByRole('region', { name: 'Likely causes' });
    const items = within(causes).getAllByRole('listitem', {
      name: /^Likely cause/,
    });
    // Ranked by score, whatever order the backend sent.
    expect(items.map(i => i.getAttribute('aria-label'))).toEqual([
      `Likely cause 1: ${deploy.title}, score 82%`,
      `Likely cause 2: ${flag.title}, score 41%`,
      'Likely cause 3: Deploy inventory-service v9.1.0, score 30%',
    ]);
    expect(
      within(items[0]).getByText(
        'Production deploy 15 min before the incident',
      ),
    ).toBeInTheDocument();
    expect(
      within(items[0]).getByText('Error rate rose right after it'),
    ).toBeInTheDocument();
    expect(
      within(items[0]).getByText(/03:10:00 GMT\+1, 15 min before/),
    ).toBeInTheDocument();
    expect(
      within(items[0]).getByRole('progressbar', { name: 'Score 82%' }),
    ).toBeInTheDocument();
    // The dependency's change comes from relatedEvents and says how to see it on the timeline.
    expect(
      within(items[2]).getByText(/change on dependency/),
    ).toBeInTheDocument();
    expect(
      within(items[2]).getByText(/turn on “Include dependencies”/),
    ).toBeInTheDocument();

    // The candidates are highlighted in the list and on the lanes, the window on the axis.
    expect(row(deploy.id)).toHaveTextContent('Likely cause #1 · 82%');
    expect(row(flag.id)).toHaveTextContent('Likely cause #2 · 41%');
    expect(row(alert.id)).not.toHaveTextContent('Likely cause');
    expect(screen.getByTestId('lookback-window')).toHaveTextContent(
      'Look-back window',
    );
    const lanes = screen.getByTestId('source-lanes');
    expect(
      lanes.querySelector(`[data-event-id="${deploy.id}"]`),
    ).toHaveTextContent('1');
    expect(
      within(causes).getByText(
        /Look-back window: 2026-03-03 01:20:00 GMT\+1 to 2026-03-03 03:20:00 GMT\+1/,
      ),
    ).toBeInTheDocument();

    // "Show in list" moves the keyboard cursor to the candidate.
    await userEvent.click(
      within(items[1]).getByRole('button', { name: 'Show in list' }),
    );
    const list = screen.getByRole('listbox');
    expect(list).toHaveAttribute('aria-activedescendant', row(flag.id).id);
  });

  it('shows the summary instead of a list when nothing plausible caused the problem', async () => {
    await renderWithApis(<DashTimeline entityRefs={[PAYMENTS]} />, {
      route: `/dash?${WINDOW_QUERY}&event=${alert.id}`,
    });
    const causes = await screen.findByRole('region', { name: 'Likely causes' });
    expect(
      within(causes).getByText(
        'No change in the 2 h before this alert looks related.',
      ),
    ).toBeInTheDocument();
    expect(within(causes).queryByRole('list')).not.toBeInTheDocument();
    expect(screen.queryByText(/Likely cause #/)).not.toBeInTheDocument();
    // The look-back window is drawn all the same.
    expect(screen.getByTestId('lookback-window')).toBeInTheDocument();
  });

  it('says when no correlation was computed for a problem', async () => {
    const api = mockDashApi(timelineResponse({ correlations: [] }));
    await renderWithApis(<DashTimeline entityRefs={[PAYMENTS]} />, {
      api,
      route: `/dash?${WINDOW_QUERY}&event=${incident.id}`,
    });
    expect(
      await screen.findByText('No correlation was computed for this event.'),
    ).toBeInTheDocument();
  });

  it('shows no likely causes for a change', async () => {
    await renderWithApis(<DashTimeline entityRefs={[PAYMENTS]} />, {
      route: `/dash?${WINDOW_QUERY}&event=${deploy.id}`,
    });
    await screen.findByRole('region', { name: 'Selected event' });
    expect(
      screen.queryByRole('region', { name: 'Likely causes' }),
    ).not.toBeInTheDocument();
  });
});

describe('DashTimeline: keyboard', () => {
  it('moves with arrow keys and j/k, selects with Enter and clears with Escape', async () => {
    await renderWithApis(<DashTimeline entityRefs={[PAYMENTS]} />);
    const list = await screen.findByRole('listbox');
    const ids = () =>
      screen.getAllByRole('option').map(r => r.getAttribute('data-event-id'));
    const activeEventId = () =>
      document
        .getElementById(list.getAttribute('aria-activedescendant')!)
        ?.getAttribute('data-event-id');

    // Tab reaches the list (past the toolbar and filters) and puts the cursor on the first row.
    act(() => list.focus());
    expect(list).toHaveFocus();
    expect(activeEventId()).toBe(ids()[0]);

    await userEvent.keyboard('{ArrowDown}');
    expect(activeEventId()).toBe(ids()[1]);
    await userEvent.keyboard('j');
    expect(activeEventId()).toBe(ids()[2]);
    await userEvent.keyboard('k');
    expect(activeEventId()).toBe(ids()[1]);
    await userEvent.keyboard('{End}');
    expect(activeEventId()).toBe(ids()[5]);
    await userEvent.keyboard('{ArrowDown}');
    expect(activeEventId()).toBe(ids()[5]);
    await userEvent.keyboard('{Home}');
    expect(activeEventId()).toBe(ids()[0]);
    await userEvent.keyboard('{ArrowUp}');
    expect(activeEventId()).toBe(ids()[0]);
    await userEvent.keyboard('{ArrowDown}{Enter}');

    expect(currentParams().get('event')).toBe(ids()[1]);
    const selected = screen.getByRole('option', { selected: true });
    expect(selected.getAttribute('data-event-id')).toBe(ids()[1]);
    expect(
      screen.getByRole('region', { name: 'Selected event' }),
    ).toBeInTheDocument();

    await userEvent.keyboard('{Escape}');
    expect(currentParams().get('event')).toBeNull();
    expect(
      screen.queryByRole('region', { name: 'Selected event' }),
    ).not.toBeInTheDocument();
  });

  it('clears the selection with Escape from anywhere in the timeline, and "/" focuses the search', async () => {
    await renderWithApis(<DashTimeline entityRefs={[PAYMENTS]} />, {
      route: `/dash?${WINDOW_QUERY}&event=${deploy.id}`,
    });
    const details = await screen.findByRole('region', {
      name: 'Selected event',
    });
    within(details).getByRole('button', { name: 'Clear selection' }).focus();
    await userEvent.keyboard('/');
    expect(
      screen.getByRole('textbox', { name: 'Search event titles' }),
    ).toHaveFocus();
    // In the search box Escape belongs to the box.
    await userEvent.keyboard('{Escape}');
    expect(currentParams().get('event')).toBe(deploy.id);
    screen.getByRole('button', { name: 'Zoom out' }).focus();
    await userEvent.keyboard('{Escape}');
    expect(currentParams().get('event')).toBeNull();
  });

  it('zooms out to twice the window, never past the 31 days the backend answers', async () => {
    const { api } = await renderWithApis(
      <DashTimeline entityRefs={[PAYMENTS]} />,
      { route: '/dash?from=2026-02-01T00:00:00Z&to=2026-02-21T00:00:00Z' },
    );
    await waitFor(() => expect(api.getTimeline).toHaveBeenCalled());
    await userEvent.click(screen.getByRole('button', { name: 'Zoom out' }));
    await waitFor(() =>
      expect(api.getTimeline).toHaveBeenLastCalledWith(
        expect.objectContaining({
          from: new Date('2026-01-26T12:00:00Z'),
          to: new Date('2026-02-26T12:00:00Z'),
        }),
      ),
    );
    expect(screen.getByRole('button', { name: 'Zoom out' })).toBeDisabled();

    await userEvent.click(screen.getByRole('button', { name: 'Custom range' }));
    const from = screen.getByLabelText(/^From/);
    const to = screen.getByLabelText(/^To/);
    await userEvent.clear(from);
    await userEvent.type(from, '2026-01-01T00:00');
    await userEvent.clear(to);
    await userEvent.type(to, '2026-03-01T00:00');
    await userEvent.click(screen.getByRole('button', { name: 'Apply' }));
    expect(screen.getByText('At most 31 days at once.')).toBeInTheDocument();
  });

  it('keeps to the window the backend says it answers (dash.maxWindowDays: 7)', async () => {
    const getSettings = jest.fn(async () => ({ maxWindowDays: 7 }));
    const api = { ...mockDashApi(), getSettings };
    await renderWithApis(<DashTimeline entityRefs={[PAYMENTS]} />, {
      api,
      route: '/dash?from=2026-02-01T00:00:00Z&to=2026-02-05T00:00:00Z',
    });
    await waitFor(() => expect(getSettings).toHaveBeenCalled());

    await userEvent.click(screen.getByRole('button', { name: 'Custom range' }));
    const from = screen.getByLabelText(/^From/);
    const to = screen.getByLabelText(/^To/);
    await userEvent.clear(from);
    await userEvent.type(from, '2026-02-01T00:00');
    await userEvent.clear(to);
    await userEvent.type(to, '2026-02-09T00:00');
    await userEvent.click(screen.getByRole('button', { name: 'Apply' }));
    expect(screen.getByText('At most 7 days at once.')).toBeInTheDocument();
    expect(currentParams().get('to')).toBe('2026-02-05T00:00:00Z');

    // Zooming out stops at 7 days, too.
    await userEvent.click(screen.getByRole('button', { name: 'Zoom out' }));
    await waitFor(() =>
      expect(api.getTimeline).toHaveBeenLastCalledWith(
        expect.objectContaining({
          from: new Date('2026-01-30T12:00:00Z'),
          to: new Date('2026-02-06T12:00:00Z'),
        }),
      ),
    );
    expect(screen.getByRole('button', { name: 'Zoom out' })).toBeDisabled();
  });

  it('labels icon-only controls and keeps severity and source in words', async () => {
    await renderWithApis(<DashTimeline entityRefs={[PAYMENTS]} />);
    await screen.findByRole('listbox');
    expect(
      screen.getByRole('button', { name: 'Zoom out' }),
    ).toBeInTheDocument();
    for (const name of ['Critical', 'Error', 'Warning', 'Info']) {
      expect(
        within(screen.getByRole('search')).getByRole('button', {
          name: new RegExp(`^${name} \\d+$`),
        }),
      ).toBeInTheDocument();
    }
    expect(row(alert.id)).toHaveTextContent('Error');
    expect(row(alert.id)).toHaveTextContent('Grafana');
  });
});

describe('DashTimeline: time zone', () => {
  it('shows local time or UTC by the user’s choice and remembers it', async () => {
    const storage = MockStorageApi.create();
    const first = await renderWithApis(
      <DashTimeline entityRefs={[PAYMENTS]} />,
      { storage },
    );
    await screen.findByRole('listbox');
    expect(row(deploy.id)).toHaveTextContent('03:10:00');
    expect(screen.getByRole('button', { name: 'Local time' })).toHaveAttribute(
      'aria-pressed',
      'true',
    );

    await userEvent.click(screen.getByRole('button', { name: 'UTC' }));
    expect(row(deploy.id)).toHaveTextContent('02:10:00');
    expect(
      screen.getByText('Tue 3 Mar 2026 00:00 – 06:00 UTC'),
    ).toBeInTheDocument();
    expect(storage.forBucket('dash').snapshot('timeZone').value).toBe('utc');
    first.unmount();

    await renderWithApis(<DashTimeline entityRefs={[PAYMENTS]} />, {
      storage,
    });
    await screen.findByRole('listbox');
    expect(row(deploy.id)).toHaveTextContent('02:10:00');
    expect(screen.getByRole('button', { name: 'UTC' })).toHaveAttribute(
      'aria-pressed',
      'true',
    );
    expect(
      screen.getByText('Last updated 2026-03-03 06:00:05 UTC'),
    ).toBeInTheDocument();
  });
});

describe('DashTimeline: refresh', () => {
  it('refreshes the sources for users allowed to, shows the new states and reloads', async () => {
    const api = mockDashApi();
    api.refresh.mockResolvedValue({
      sources: [
        {
          id: 'github',
          title: 'GitHub',
          entityRef: PAYMENTS,
          status: 'refreshing',
        },
      ],
    });
    api.getTimeline
      .mockResolvedValueOnce(timelineResponse())
      .mockImplementationOnce(() => new Promise(() => {}));
    await renderWithApis(<DashTimeline entityRefs={[PAYMENTS]} />, {
      api,
      permission: 'ALLOW',
    });
    await screen.findByRole('listbox');
    const button = screen.getByRole('button', { name: 'Refresh sources' });
    await waitFor(() => expect(button).toBeEnabled());
    await userEvent.click(button);
    expect(api.refresh).toHaveBeenCalledWith(PAYMENTS);
    expect(
      await screen.findByLabelText('GitHub: refreshing'),
    ).toBeInTheDocument();
    expect(api.getTimeline).toHaveBeenCalledTimes(2);
    // The reload keeps the old answer on screen while it runs.
    expect(screen.getByRole('listbox')).toBeInTheDocument();
    expect(
      screen.getByRole('progressbar', { name: 'Updating' }),
    ).toBeInTheDocument();
  });

  it('reports a refresh that failed', async () => {
    const api = mockDashApi();
    api.refresh.mockRejectedValue(
      new Error('You are not allowed to dash.refresh'),
    );
    const { alertApi } = await renderWithApis(
      <DashTimeline entityRefs={[PAYMENTS]} />,
      { api },
    );
    await screen.findByRole('listbox');
    const button = screen.getByRole('button', { name: 'Refresh sources' });
    await waitFor(() => expect(button).toBeEnabled());
    await userEvent.click(button);
    await waitFor(() =>
      expect(alertApi.post).toHaveBeenCalledWith(
        expect.objectContaining({
          severity: 'error',
          message: 'Refresh failed: You are not allowed to dash.refresh',
        }),
      ),
    );
  });
});

describe('DashTimeline: Markdown export', () => {
  const writeText = jest.fn(async (_text: string) => {});
  beforeEach(() => {
    writeText.mockClear();
    Object.defineProperty(navigator, 'clipboard', {
      configurable: true,
      value: { writeText },
    });
  });

  it('copies the window as Markdown to the clipboard', async () => {
    const api = mockDashApi();
    api.exportMarkdown.mockResolvedValue('# payments-api\n\n- 02:10 deploy\n');
    const { alertApi } = await renderWithApis(
      <DashTimeline entityRefs={[PAYMENTS]} />,
      {
        api,
        route: `/dash?${WINDOW_QUERY}&sources=github&kinds=deploy&deps=1`,
      },
    );
    await screen.findByRole('listbox');
    await userEvent.click(
      screen.getByRole('button', { name: 'Copy as Markdown' }),
    );
    await waitFor(() =>
      expect(writeText).toHaveBeenCalledWith(
        '# payments-api\n\n- 02:10 deploy\n',
      ),
    );
    expect(api.exportMarkdown).toHaveBeenCalledWith({
      entityRefs: [PAYMENTS],
      from: new Date('2026-03-03T00:00:00Z'),
      to: new Date('2026-03-03T06:00:00Z'),
      includeDependencies: true,
      sources: ['github'],
      kinds: ['deploy'],
    });
    expect(alertApi.post).toHaveBeenCalledWith(
      expect.objectContaining({
        severity: 'success',
        message: 'Timeline copied to the clipboard as Markdown',
      }),
    );
  });

  it('downloads the window as a Markdown file', async () => {
    const api = mockDashApi();
    api.exportMarkdown.mockResolvedValue('# payments-api\n');
    const createObjectURL = jest.fn((_blob: Blob) => 'blob:dash-export');
    const revokeObjectURL = jest.fn();
    Object.assign(URL, { createObjectURL, revokeObjectURL });
    const clicked: HTMLAnchorElement[] = [];
    const click = jest
      .spyOn(HTMLAnchorElement.prototype, 'click')
      .mockImplementation(function record(this: HTMLAnchorElement) {
        clicked.push(this);
      });
    try {
      await renderWithApis(<DashTimeline entityRefs={[PAYMENTS]} />, { api });
      await screen.findByRole('listbox');
      await userEvent.click(
        screen.getByRole('button', { name: 'Download Markdown' }),
      );
      await waitFor(() => expect(clicked).toHaveLength(1));
      expect(clicked[0].download).toBe(
        'dash-payments-api-2026-03-03T000000Z.md',
      );
      expect(clicked[0].href).toBe('blob:dash-export');
      const blob = createObjectURL.mock.calls[0][0];
      expect(blob.type).toBe('text/markdown');
      expect(await blob.text()).toBe('# payments-api\n');
      expect(revokeObjectURL).toHaveBeenCalledWith('blob:dash-export');
    } finally {
      click.mockRestore();
    }
  });

  it('reports an export that failed', async () => {
    const api = mockDashApi();
    api.exportMarkdown.mockRejectedValue(new Error('Service Unavailable'));
    const { alertApi } = await renderWithApis(
      <DashTimeline entityRefs={[PAYMENTS]} />,
      { api },
    );
    await screen.findByRole('listbox');
    await userEvent.click(
      screen.getByRole('button', { name: 'Copy as Markdown' }),
    );
    await waitFor(() =>
      expect(alertApi.post).toHaveBeenCalledWith(
        expect.objectContaining({
          severity: 'error',
          message: 'Markdown export failed: Service Unavailable',
        }),
      ),
    );
    expect(writeText).not.toHaveBeenCalled();
  });
});

describe('DashTimeline: several services', () => {
  it('asks for every service at once and names the service of each event', async () => {
    const api = mockDashApi(
      timelineResponse({
        entityRefs: [PAYMENTS, 'component:default/checkout'],
        sources: [
          ...sourceStates(),
          {
            id: 'github',
            title: 'GitHub',
            entityRef: 'component:default/checkout',
            status: 'unauthorized',
            message: 'The GitHub token may not read acme/checkout',
          },
        ],
      }),
    );
    await renderWithApis(
      <DashTimeline entityRefs={[PAYMENTS, 'component:default/checkout']} />,
      { api },
    );
    await screen.findByRole('listbox');
    expect(api.getTimeline).toHaveBeenCalledWith(
      expect.objectContaining({
        entityRefs: [PAYMENTS, 'component:default/checkout'],
      }),
    );
    expect(row(deploy.id)).toHaveTextContent('payments-api');
    expect(
      screen.getByLabelText('GitHub: 1 OK, 1 unauthorized'),
    ).toBeInTheDocument();
    expect(
      screen.getByText(
        /\(checkout\): unauthorized — The GitHub token may not read acme\/checkout/,
      ),
    ).toBeInTheDocument();
    fireEvent.keyDown(screen.getByRole('listbox'), { key: 'x' });
  });
});
