import { ResponseError } from '@backstage/errors';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import {
  FROM,
  INVENTORY,
  PAYMENTS,
  WINDOW_QUERY,
  currentParams,
  dependencyDeploy,
  deploy,
  event,
  incident,
  mockDashApi,
  pullRequest,
  renderWithApis,
  sourceStates,
  timelineResponse,
} from '../../__testUtils__/fixtures';
import { DashTimeline } from './DashTimeline';

function rowIds() {
  const list = screen.getByRole('listbox');
  return within(list)
    .queryAllByRole('option')
    .map(r => r.getAttribute('data-event-id'));
}

/** What Backstage answers for /api/dash when no backend plugin serves it: an empty 404. */
async function routeMissingError() {
  return ResponseError.fromResponse(
    new Response('', { status: 404, statusText: 'Not Found' }),
  );
}

/** What the DASH backend answers for an entity that does not exist. */
async function entityNotFoundError() {
  return ResponseError.fromResponse(
    new Response(
      JSON.stringify({
        error: {
          name: 'NotFoundError',
          message:
            'No entity component:default/payments-api (or you may not read it)',
        },
        request: { method: 'GET', url: '/timeline' },
        response: { statusCode: 404 },
      }),
      {
        status: 404,
        statusText: 'Not Found',
        headers: { 'content-type': 'application/json' },
      },
    ),
  );
}

describe('DashTimeline', () => {
  it('shows the events of the window newest first, and puts the window in the URL', async () => {
    const { api } = await renderWithApis(
      <DashTimeline entityRefs={[PAYMENTS]} />,
      { route: '/dash' },
    );
    await waitFor(() => expect(api.getTimeline).toHaveBeenCalled());
    // Opened without a window: the default (24 h up to now) is written into the link.
    const params = currentParams();
    const from = Date.parse(params.get('from')!);
    const to = Date.parse(params.get('to')!);
    expect(to - from).toBe(24 * 3_600_000);
    expect(Math.abs(Date.now() - to)).toBeLessThan(60_000);
    expect(api.getTimeline).toHaveBeenCalledWith(
      expect.objectContaining({
        entityRefs: [PAYMENTS],
        includeDependencies: false,
      }),
    );
  });

  it('asks for the window of the link and lists its events newest first', async () => {
    const { api } = await renderWithApis(
      <DashTimeline entityRefs={[PAYMENTS]} />,
    );
    expect(
      await screen.findByRole('listbox', {
        name: 'Events, newest first (6)',
      }),
    ).toBeInTheDocument();
    expect(rowIds()).toEqual([
      'pagerduty:INC1',
      'kibana:spike-1',
      'grafana:alert-1',
      'github:deploy-1',
      'changes:flag-1',
      'github:pr-7',
    ]);
    expect(api.getTimeline).toHaveBeenCalledWith({
      entityRefs: [PAYMENTS],
      from: new Date('2026-03-03T00:00:00Z'),
      to: new Date('2026-03-03T06:00:00Z'),
      includeDependencies: false,
    });
    // Severity at a glance: icon and word, not colour alone.
    const incidentRow = screen
      .getAllByRole('option')
      .find(r => r.getAttribute('data-event-id') === incident.id)!;
    expect(incidentRow).toHaveTextContent('Critical');
    expect(incidentRow).toHaveTextContent('PagerDuty');
    expect(incidentRow).toHaveTextContent('Incident');
    // The window, in local time (Berlin in the tests).
    expect(
      screen.getByText('Tue 3 Mar 2026 01:00 – 07:00 GMT+1'),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('img', { name: /^Event density: 6 events/ }),
    ).toBeInTheDocument();
  });

  it('says when the backend cut a huge window to its newest events', async () => {
    await renderWithApis(<DashTimeline entityRefs={[PAYMENTS]} />, {
      api: mockDashApi(timelineResponse({ truncated: true })),
    });
    expect(
      await screen.findByText(
        /more events than one answer carries: showing the newest 6\. Narrow the window/,
      ),
    ).toBeInTheDocument();
  });

  it('shows a progress indicator while the first answer loads', async () => {
    const api = mockDashApi(() => new Promise(() => {}));
    await renderWithApis(<DashTimeline entityRefs={[PAYMENTS]} />, { api });
    expect(
      screen.getByRole('progressbar', { name: 'Loading events' }),
    ).toBeInTheDocument();
    // The frame is there before any data.
    expect(
      screen.getByRole('group', { name: 'Timeline controls' }),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('region', { name: 'Source status' }),
    ).toBeInTheDocument();
  });

  it('shows an error of the whole request with the ResponseErrorPanel, and tries again', async () => {
    const api = mockDashApi();
    api.getTimeline
      .mockRejectedValueOnce(await routeMissingError())
      .mockResolvedValueOnce(timelineResponse());
    await renderWithApis(<DashTimeline entityRefs={[PAYMENTS]} />, { api });
    expect(
      await screen.findByText(/Could not load the DASH timeline/),
    ).toBeInTheDocument();
    expect(screen.getByText(/^404: /)).toBeInTheDocument();
    expect(
      screen.getByText(/is @dash-suite\/plugin-dash-backend installed/),
    ).toBeInTheDocument();
    // The controls stay usable.
    expect(
      screen.getByRole('group', { name: 'Timeline controls' }),
    ).toBeInTheDocument();
    await userEvent.click(screen.getByRole('button', { name: 'Try again' }));
    expect(await screen.findByRole('listbox')).toBeInTheDocument();
    expect(api.getTimeline).toHaveBeenCalledTimes(2);
  });

  it('shows the backend’s reason for an error it wrote, without the installation hint', async () => {
    const api = mockDashApi();
    api.getTimeline.mockRejectedValue(await entityNotFoundError());
    await renderWithApis(<DashTimeline entityRefs={[PAYMENTS]} />, { api });
    expect(
      await screen.findByText(
        'Error: Could not load the DASH timeline: No entity component:default/payments-api (or you may not read it)',
      ),
    ).toBeInTheDocument();
    expect(screen.getByText(/404: NotFoundError/)).toBeInTheDocument();
    expect(
      screen.queryByText(/is @dash-suite\/plugin-dash-backend installed/),
    ).not.toBeInTheDocument();
  });

  it('shows a non-HTTP failure as an error panel too', async () => {
    const api = mockDashApi();
    api.getTimeline.mockRejectedValue(new TypeError('Failed to fetch'));
    await renderWithApis(<DashTimeline entityRefs={[PAYMENTS]} />, { api });
    expect(
      await screen.findByText(/Could not load the DASH timeline/),
    ).toBeInTheDocument();
    expect(screen.getAllByText(/Failed to fetch/).length).toBeGreaterThan(0);
  });

  it('explains an empty window: the window and the sources asked, in their states', async () => {
    const states = sourceStates();
    states[1] = {
      ...states[1],
      status: 'timed-out',
      message: 'GitHub did not answer within 10 s',
    };
    const api = mockDashApi(
      timelineResponse({ events: [], correlations: [], sources: states }),
    );
    await renderWithApis(<DashTimeline entityRefs={[PAYMENTS]} />, { api });
    expect(
      await screen.findByText(
        'No events between 2026-03-03 01:00:00 GMT+1 and 2026-03-03 07:00:00 GMT+1.',
      ),
    ).toBeInTheDocument();
    const asked = screen.getByRole('list', { name: 'Sources asked' });
    expect(within(asked).getByText('PagerDuty: OK')).toBeInTheDocument();
    expect(
      within(asked).getByText(
        'GitHub: timed out — GitHub did not answer within 10 s',
      ),
    ).toBeInTheDocument();
    expect(within(asked).getAllByRole('listitem')).toHaveLength(5);
    expect(screen.queryByRole('listbox')).not.toBeInTheDocument();
  });

  it('says when no source applies to the entity', async () => {
    const api = mockDashApi(
      timelineResponse({ events: [], correlations: [], sources: [] }),
    );
    await renderWithApis(<DashTimeline entityRefs={[PAYMENTS]} />, { api });
    expect(
      await screen.findByText(/No DASH source reported on payments-api/),
    ).toBeInTheDocument();
    expect(
      screen.getByText('No source reported a status.'),
    ).toBeInTheDocument();
    // No lanes to draw.
    expect(screen.queryByTestId('source-lanes')).not.toBeInTheDocument();
  });

  it('says when the filters hide every event, and clears them', async () => {
    await renderWithApis(<DashTimeline entityRefs={[PAYMENTS]} />, {
      route: `/dash?${WINDOW_QUERY}&q=nothing-matches-this`,
    });
    expect(
      await screen.findByText('No events match the filters.'),
    ).toBeInTheDocument();
    expect(
      screen.getByText('6 events in this window are hidden by the filters.'),
    ).toBeInTheDocument();
    await userEvent.click(
      screen.getAllByRole('button', { name: 'Clear filters' })[0],
    );
    expect(await screen.findByRole('listbox')).toBeInTheDocument();
    expect(currentParams().get('q')).toBeNull();
  });

  it('reads filters, search, selection and view from the URL and writes changes back', async () => {
    await renderWithApis(<DashTimeline entityRefs={[PAYMENTS]} />, {
      route: `/dash?${WINDOW_QUERY}&sources=github,pagerduty&severity=critical,info&q=deploy&event=github:deploy-1&view=list`,
    });
    await screen.findByRole('listbox');
    expect(rowIds()).toEqual(['github:deploy-1']);
    expect(screen.getByRole('button', { name: /^GitHub/ })).toHaveAttribute(
      'aria-pressed',
      'true',
    );
    expect(screen.getByRole('button', { name: /^Kibana/ })).toHaveAttribute(
      'aria-pressed',
      'false',
    );
    expect(
      screen.getByRole('textbox', { name: 'Search event titles' }),
    ).toHaveValue('deploy');
    expect(
      within(screen.getByRole('region', { name: 'Selected event' })).getByRole(
        'heading',
        { name: deploy.title },
      ),
    ).toBeInTheDocument();
    expect(screen.queryByTestId('source-lanes')).not.toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'List only' })).toHaveAttribute(
      'aria-pressed',
      'true',
    );

    await userEvent.click(screen.getByRole('button', { name: /^Kibana/ }));
    let params = currentParams();
    expect(params.get('sources')).toBe('github,pagerduty,kibana');
    // Everything else survives the change.
    expect(params.get('severity')).toBe('critical,info');
    expect(params.get('q')).toBe('deploy');
    expect(params.get('event')).toBe('github:deploy-1');
    expect(params.get('view')).toBe('list');
    expect(params.get('from')).toBe('2026-03-03T00:00:00Z');

    await userEvent.click(
      screen.getByRole('button', { name: 'Lanes per source' }),
    );
    expect(screen.getByTestId('source-lanes')).toBeInTheDocument();
    params = currentParams();
    expect(params.get('view')).toBeNull();
  });

  it('filters by source, kind and severity and searches titles', async () => {
    await renderWithApis(<DashTimeline entityRefs={[PAYMENTS]} />);
    await screen.findByRole('listbox');
    const filters = screen.getByRole('search', { name: 'Filter events' });

    await userEvent.click(
      within(filters).getByRole('button', { name: /^Critical 1$/ }),
    );
    expect(rowIds()).toEqual([incident.id]);
    expect(currentParams().get('severity')).toBe('critical');
    await userEvent.click(
      within(filters).getByRole('button', { name: /^Critical 1$/ }),
    );
    expect(rowIds()).toHaveLength(6);

    await userEvent.click(
      within(filters).getByRole('button', { name: /^GitHub 2$/ }),
    );
    expect(rowIds()).toEqual([deploy.id, pullRequest.id]);
    await userEvent.click(
      within(filters).getByRole('button', { name: /^Pull request 1$/ }),
    );
    expect(rowIds()).toEqual([pullRequest.id]);
    expect(currentParams().get('kinds')).toBe('pull-request');
    await userEvent.click(
      within(filters).getByRole('button', { name: 'Clear filters' }),
    );
    expect(rowIds()).toHaveLength(6);

    await userEvent.type(
      within(filters).getByRole('textbox', { name: 'Search event titles' }),
      'LATENCY',
    );
    await waitFor(() => expect(rowIds()).toEqual(['grafana:alert-1']));
    expect(currentParams().get('q')).toBe('LATENCY');
  });

  it('marks events of dependencies when dependencies are included', async () => {
    const api = mockDashApi();
    api.getTimeline.mockImplementation(async q =>
      q.includeDependencies
        ? timelineResponse({
            dependencyRefs: [INVENTORY],
            events: [pullRequest, dependencyDeploy, deploy, incident],
            relatedEvents: [],
          })
        : timelineResponse(),
    );
    await renderWithApis(<DashTimeline entityRefs={[PAYMENTS]} />, { api });
    await screen.findByRole('listbox');
    expect(rowIds()).not.toContain(dependencyDeploy.id);
    await userEvent.click(
      screen.getByRole('checkbox', { name: 'Include dependencies' }),
    );
    await waitFor(() => expect(rowIds()).toContain(dependencyDeploy.id));
    expect(api.getTimeline).toHaveBeenLastCalledWith(
      expect.objectContaining({ includeDependencies: true }),
    );
    expect(currentParams().get('deps')).toBe('1');
    const row = screen
      .getAllByRole('option')
      .find(r => r.getAttribute('data-event-id') === dependencyDeploy.id)!;
    expect(row).toHaveTextContent('dependency: inventory-service');
    const ownRow = screen
      .getAllByRole('option')
      .find(r => r.getAttribute('data-event-id') === deploy.id)!;
    expect(ownRow).not.toHaveTextContent('dependency');
  });

  it('zooms with the presets, a custom range and by brushing the histogram', async () => {
    const { api } = await renderWithApis(
      <DashTimeline entityRefs={[PAYMENTS]} />,
    );
    await screen.findByRole('listbox');
    expect(screen.getByRole('button', { name: 'Last 6 h' })).toHaveAttribute(
      'aria-pressed',
      'true',
    );

    // Brush from 10 % to 30 % of the 6 h window.
    const chart = screen.getByTestId('density-histogram');
    chart.getBoundingClientRect = () =>
      ({ left: 0, width: 1000, top: 0, height: 72 } as DOMRect);
    fireEvent.mouseDown(chart, { button: 0, clientX: 100 });
    fireEvent.mouseMove(window, { clientX: 300 });
    expect(screen.getByTestId('brush')).toBeInTheDocument();
    fireEvent.mouseUp(window, { clientX: 300 });
    await waitFor(() =>
      expect(currentParams().get('from')).toBe('2026-03-03T00:36:00Z'),
    );
    expect(currentParams().get('to')).toBe('2026-03-03T01:48:00Z');
    await waitFor(() =>
      expect(api.getTimeline).toHaveBeenLastCalledWith(
        expect.objectContaining({
          from: new Date('2026-03-03T00:36:00Z'),
          to: new Date('2026-03-03T01:48:00Z'),
        }),
      ),
    );
    // Only the events of the zoomed window are listed.
    await waitFor(() => expect(rowIds()).toEqual([pullRequest.id]));

    // A custom range, typed in local time (Berlin, UTC+1).
    await userEvent.click(screen.getByRole('button', { name: 'Custom range' }));
    const form = screen.getByRole('form', { name: 'Custom time window' });
    const fromInput = within(form).getByLabelText('From (GMT+1)');
    const toInput = within(form).getByLabelText('To (GMT+1)');
    fireEvent.change(fromInput, { target: { value: '2026-03-03T05:00' } });
    fireEvent.change(toInput, { target: { value: '2026-03-03T04:00' } });
    await userEvent.click(within(form).getByRole('button', { name: 'Apply' }));
    expect(
      within(form).getByText('“From” must be before “to”.'),
    ).toBeInTheDocument();
    fireEvent.change(fromInput, { target: { value: '2026-03-03T03:00' } });
    await userEvent.click(within(form).getByRole('button', { name: 'Apply' }));
    expect(currentParams().get('from')).toBe('2026-03-03T02:00:00Z');
    expect(currentParams().get('to')).toBe('2026-03-03T03:00:00Z');

    // A preset: the last hour up to now.
    await userEvent.click(screen.getByRole('button', { name: 'Last 1 h' }));
    const from = Date.parse(currentParams().get('from')!);
    const to = Date.parse(currentParams().get('to')!);
    expect(to - from).toBe(3_600_000);
    expect(Math.abs(Date.now() - to)).toBeLessThan(60_000);
  });

  it('warns when the link names a window it cannot read, and shows the default one', async () => {
    await renderWithApis(<DashTimeline entityRefs={[PAYMENTS]} />, {
      route: '/dash?from=yesterday&to=2026-03-03T06:00:00Z',
    });
    expect(
      await screen.findByText(/time window could not be read/),
    ).toBeInTheDocument();
    const params = currentParams();
    expect(
      Date.parse(params.get('to')!) - Date.parse(params.get('from')!),
    ).toBe(24 * 3_600_000);
  });

  it('says so when the linked event is not in the window', async () => {
    await renderWithApis(<DashTimeline entityRefs={[PAYMENTS]} />, {
      route: `/dash?${WINDOW_QUERY}&event=github:gone`,
    });
    expect(
      await screen.findByText(
        'The linked event (github:gone) is not in this window.',
      ),
    ).toBeInTheDocument();
  });

  it('shows event details with only http(s) links', async () => {
    await renderWithApis(<DashTimeline entityRefs={[PAYMENTS]} />, {
      route: `/dash?${WINDOW_QUERY}&event=${deploy.id}`,
    });
    const details = await screen.findByRole('region', {
      name: 'Selected event',
    });
    expect(
      within(details).getByRole('link', { name: /Open in GitHub/ }),
    ).toHaveAttribute('href', deploy.url);
    const more = within(details).getByRole('region', { name: 'More details' });
    expect(within(more).getByText('v2.14.0')).toBeInTheDocument();
    // Empty values are left out.
    expect(within(more).queryByText('priority')).not.toBeInTheDocument();
    expect(
      within(details).getByText('2026-03-03 03:10:00 GMT+1'),
    ).toBeInTheDocument();
    await userEvent.click(
      within(details).getByRole('button', { name: 'Clear selection' }),
    );
    expect(currentParams().get('event')).toBeNull();

    // The incident's link is `javascript:`: not rendered.
    await userEvent.click(
      screen
        .getAllByRole('option')
        .find(r => r.getAttribute('data-event-id') === incident.id)!,
    );
    const incidentDetails = screen.getByRole('region', {
      name: 'Selected event',
    });
    expect(
      within(incidentDetails).queryByRole('link', { name: /Open in/ }),
    ).not.toBeInTheDocument();
    expect(within(incidentDetails).getByText(/\(40 min\)/)).toBeInTheDocument();
  });

  it('draws one lane per source, says which lanes have no data, and selects from a marker', async () => {
    const states = sourceStates();
    states.push({
      id: 'opsgenie',
      title: 'Opsgenie',
      entityRef: PAYMENTS,
      status: 'not-configured',
      message: 'No Opsgenie account is configured',
    });
    const api = mockDashApi(timelineResponse({ sources: states }));
    await renderWithApis(<DashTimeline entityRefs={[PAYMENTS]} />, { api });
    const lanes = await screen.findByTestId('source-lanes');
    expect(within(lanes).getByText('GitHub (2)')).toBeInTheDocument();
    expect(within(lanes).getByText('PagerDuty (1)')).toBeInTheDocument();
    expect(within(lanes).getByText('Opsgenie (0)')).toBeInTheDocument();
    expect(
      within(lanes).getByText('No events; not configured'),
    ).toBeInTheDocument();
    const marker = lanes.querySelector(`[data-event-id="${deploy.id}"]`)!;
    fireEvent.click(marker);
    expect(currentParams().get('event')).toBe(deploy.id);
  });

  it('clips loaded events to a narrower window at once', async () => {
    const early = event({
      id: 'github:early',
      startTime: new Date(FROM + 60_000).toISOString(),
    });
    const api = mockDashApi(timelineResponse({ events: [early, deploy] }));
    await renderWithApis(<DashTimeline entityRefs={[PAYMENTS]} />, {
      api,
      route: '/dash?from=2026-03-03T02:00:00Z&to=2026-03-03T03:00:00Z',
    });
    await screen.findByRole('listbox');
    expect(rowIds()).toEqual([deploy.id]);
  });
});
