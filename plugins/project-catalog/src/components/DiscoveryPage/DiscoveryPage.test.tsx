import { DiscoveryStatus } from '@dash-suite/plugin-project-catalog-common';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import {
  adopted,
  discoveryStatus,
  failed,
  hoursAgo,
  pagerDutySuggestion,
  suggestion,
  suggestionPage,
} from '../../__testUtils__/discovery';
import {
  mockProjectCatalogApi,
  renderWithApis,
  responseError,
} from '../../__testUtils__/fixtures';
import { DiscoveryPage } from './DiscoveryPage';

const RETURNS = suggestion();
const LEGACY = pagerDutySuggestion();

function discoveryApi() {
  const api = mockProjectCatalogApi();
  api.getDiscoveryStatus.mockResolvedValue(discoveryStatus());
  api.listSuggestions.mockResolvedValue(
    suggestionPage([RETURNS, LEGACY], {
      counts: { adopted: 5, ignored: 1 },
    }),
  );
  return api;
}

async function renderPage(api = discoveryApi()) {
  const result = await renderWithApis(<DiscoveryPage />, {
    api,
    route: '/project-catalog/discovery',
  });
  return result;
}

async function renderList(api = discoveryApi()) {
  const result = await renderPage(api);
  const table = await screen.findByRole('table', { name: 'Suggestions' });
  return { ...result, table };
}

const rowOf = (table: HTMLElement, name: string) =>
  within(table).getByText(name, { selector: 'p' }).closest('tr')!;

const checkbox = (name: string) => screen.getByRole('checkbox', { name });

const button = (name: string | RegExp) => screen.getByRole('button', { name });

describe('DiscoveryPage', () => {
  it('shows progress while the scan state and the queue load', async () => {
    const api = mockProjectCatalogApi();
    api.getDiscoveryStatus.mockReturnValue(new Promise(() => {}));
    api.listSuggestions.mockReturnValue(new Promise(() => {}));
    await renderPage(api);
    expect(
      await screen.findByRole('status', { name: 'Loading the scan state' }),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('status', { name: 'Loading suggestions' }),
    ).toBeInTheDocument();
  });

  it("shows each upstream's scan: status, why, last run, last success, found", async () => {
    await renderPage();
    const scan = await screen.findByRole('table', { name: 'Scan state' });
    const [github, pagerduty] = within(scan).getAllByRole('row').slice(1);
    expect(github).toHaveTextContent(/^GitHubok2 h ago2 h ago4$/);
    expect(pagerduty).toHaveTextContent('PagerDuty');
    expect(pagerduty).toHaveTextContent('rate limited');
    expect(pagerduty).toHaveTextContent(
      'PagerDuty answered 429; showing the suggestions of the scan of 2026-03-02T09:00:00.000Z',
    );
    expect(pagerduty).toHaveTextContent('3 h ago');
    expect(pagerduty).toHaveTextContent('27 h ago');
    expect(within(github).getAllByRole('time')[0]).toHaveAttribute('title');
  });

  it('lists the open suggestions with what was inferred and why, links, match and times', async () => {
    const { api, table } = await renderList();
    expect(api.listSuggestions).toHaveBeenCalledWith({
      status: 'open',
      limit: 50,
    });
    const returns = rowOf(table, 'returns-service');
    expect(returns).toHaveTextContent('Returns service');
    expect(returns).toHaveTextContent('GitHub');
    expect(returns).toHaveTextContent('github:acme/returns-service');
    expect(returns).toHaveTextContent('Type: service');
    expect(returns).toHaveTextContent("why: topic 'service'");
    expect(returns).toHaveTextContent(
      'why: .github/CODEOWNERS: * @acme/team-returns',
    );
    expect(returns).toHaveTextContent('Language: Go');
    expect(
      within(returns).getByRole('link', { name: /team-returns/ }),
    ).toHaveAttribute('href', '/catalog/default/group/team-returns');
    expect(
      within(returns).getByRole('link', { name: /Repository/ }),
    ).toHaveAttribute('href', 'https://github.com/acme/returns-service');
    expect(returns).toHaveTextContent('First seen 3 d ago');
    expect(returns).toHaveTextContent('Last seen 2 h ago');

    const legacy = rowOf(table, 'legacy-billing');
    expect(legacy).toHaveTextContent('Nothing inferred');
    expect(legacy).toHaveTextContent('Possible match:');
    expect(
      within(legacy).getByRole('link', { name: /legacy-billing/ }),
    ).toHaveAttribute('href', '/catalog/default/component/legacy-billing');

    expect(screen.getByRole('tab', { name: 'Open (2)' })).toHaveAttribute(
      'aria-selected',
      'true',
    );
    expect(
      screen.getByRole('tab', { name: 'Adopted (5)' }),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('tab', { name: 'Ignored (1)' }),
    ).toBeInTheDocument();
    expect(screen.getByRole('tab', { name: 'Merged (0)' })).toBeInTheDocument();
  });

  it('shows decided suggestions by status: who decided, when, why, and the entity', async () => {
    const api = discoveryApi();
    const { table } = await renderList(api);
    api.listSuggestions.mockResolvedValueOnce(
      suggestionPage(
        [
          suggestion({
            status: 'ignored',
            decidedBy: 'user:default/ada',
            decidedAt: hoursAgo(5),
            reason: 'An archived fork.',
          }),
        ],
        { counts: { open: 2, adopted: 5 } },
      ),
    );
    await userEvent.click(screen.getByRole('tab', { name: 'Ignored (1)' }));
    await waitFor(() =>
      expect(api.listSuggestions).toHaveBeenLastCalledWith({
        status: 'ignored',
        limit: 50,
      }),
    );
    const ignored = await screen.findByRole('table', { name: 'Suggestions' });
    expect(ignored).not.toBe(table);
    const row = rowOf(ignored, 'returns-service');
    expect(row).toHaveTextContent('Ignored by ada 5 h ago');
    expect(row).toHaveTextContent('Reason: An archived fork.');
    expect(within(row).getByRole('link', { name: 'ada' })).toHaveAttribute(
      'href',
      '/catalog/default/user/ada',
    );
    // Decided suggestions cannot be acted on.
    expect(screen.queryByRole('checkbox')).not.toBeInTheDocument();

    api.listSuggestions.mockResolvedValueOnce(
      suggestionPage([
        suggestion({
          status: 'adopted',
          decidedBy: 'user:default/grace',
          decidedAt: hoursAgo(1),
          entityRef: 'component:default/returns-service',
        }),
      ]),
    );
    await userEvent.click(screen.getByRole('tab', { name: /^Adopted/ }));
    const adoptedRow = rowOf(
      await screen.findByRole('table', { name: 'Suggestions' }),
      'returns-service',
    );
    expect(adoptedRow).toHaveTextContent('Adopted by grace 1 h ago');
    expect(
      within(adoptedRow).getByRole('link', { name: /returns-service/ }),
    ).toHaveAttribute('href', '/catalog/default/component/returns-service');
  });

  it('filters by source', async () => {
    const { api } = await renderList();
    api.listSuggestions.mockResolvedValueOnce(suggestionPage([]));
    await userEvent.selectOptions(screen.getByLabelText('Source'), 'GitHub');
    expect(
      await screen.findByText('No open suggestions from GitHub'),
    ).toBeInTheDocument();
    expect(api.listSuggestions).toHaveBeenLastCalledWith({
      status: 'open',
      source: 'github',
      limit: 50,
    });
  });

  it('says when nothing is open, with the time of the last scan', async () => {
    const api = discoveryApi();
    api.listSuggestions.mockResolvedValue(suggestionPage([]));
    await renderPage(api);
    expect(await screen.findByText('No open suggestions')).toBeInTheDocument();
    expect(screen.getByText(/^Last scan/)).toHaveTextContent(
      'Last scan 2 h ago.',
    );
  });

  it('says when discovery has not scanned yet', async () => {
    const api = discoveryApi();
    api.getDiscoveryStatus.mockResolvedValue({
      enabled: true,
      upstreams: [
        { id: 'github', status: 'pending' },
        { id: 'pagerduty', status: 'pending' },
      ],
    });
    api.listSuggestions.mockResolvedValue(suggestionPage([]));
    await renderPage(api);
    expect(await screen.findByText('No open suggestions')).toBeInTheDocument();
    expect(
      await screen.findByText('Discovery has not scanned yet.'),
    ).toBeInTheDocument();
  });

  it('explains that discovery is off and how to turn it on', async () => {
    const api = discoveryApi();
    api.getDiscoveryStatus.mockResolvedValue({
      enabled: false,
      upstreams: [],
    });
    await renderList(api);
    expect(await screen.findByText(/Discovery is off/)).toHaveTextContent(
      'projectCatalog.discovery.enabled: true',
    );
    expect(
      screen.queryByRole('button', { name: 'Scan now' }),
    ).not.toBeInTheDocument();
  });

  it('keeps errors in their card and retries', async () => {
    const api = discoveryApi();
    api.getDiscoveryStatus.mockRejectedValueOnce(new Error('status down'));
    api.listSuggestions.mockRejectedValueOnce(
      await responseError(503, {
        error: { name: 'ServiceUnavailableError', message: 'database down' },
      }),
    );
    await renderPage(api);
    expect(
      await screen.findByText(/Could not load the scan state: status down/),
    ).toBeInTheDocument();
    expect(
      await screen.findByText(/Could not load the suggestions: database down/),
    ).toBeInTheDocument();
    const [statusRetry, listRetry] = screen.getAllByRole('button', {
      name: 'Retry',
    });
    await userEvent.click(listRetry);
    expect(
      await screen.findByRole('table', { name: 'Suggestions' }),
    ).toBeInTheDocument();
    await userEvent.click(statusRetry);
    expect(
      await screen.findByRole('table', { name: 'Scan state' }),
    ).toBeInTheDocument();
    expect(api.getDiscoveryStatus).toHaveBeenCalledTimes(2);
    expect(api.listSuggestions).toHaveBeenCalledTimes(2);
  });

  it('scans on request, with progress, then shows the new state and the queue again', async () => {
    const api = discoveryApi();
    let finish: (s: DiscoveryStatus) => void = () => {};
    api.scanDiscovery.mockReturnValue(
      new Promise(resolve => {
        finish = resolve;
      }),
    );
    await renderList(api);
    await waitFor(() => expect(button('Scan now')).toBeEnabled());
    await userEvent.click(button('Scan now'));
    expect(
      screen.getByRole('progressbar', { name: 'Scanning' }),
    ).toBeInTheDocument();
    expect(button('Scanning…')).toBeDisabled();

    const after = discoveryStatus();
    after.upstreams[0] = { ...after.upstreams[0], found: 7 };
    finish(after);
    await waitFor(() =>
      expect(
        screen.queryByRole('progressbar', { name: 'Scanning' }),
      ).not.toBeInTheDocument(),
    );
    const scan = screen.getByRole('table', { name: 'Scan state' });
    expect(within(scan).getAllByRole('row')[1]).toHaveTextContent(/7$/);
    expect(api.scanDiscovery).toHaveBeenCalledTimes(1);
    await waitFor(() => expect(api.listSuggestions).toHaveBeenCalledTimes(2));
  });

  it('shows why a scan was refused', async () => {
    const api = discoveryApi();
    api.scanDiscovery.mockRejectedValue(
      await responseError(409, {
        error: {
          name: 'ConflictError',
          message: 'Discovery is off (projectCatalog.discovery.enabled: false)',
        },
      }),
    );
    await renderList(api);
    await waitFor(() => expect(button('Scan now')).toBeEnabled());
    await userEvent.click(button('Scan now'));
    expect(
      await screen.findByText(
        'The scan failed: Discovery is off (projectCatalog.discovery.enabled: false)',
      ),
    ).toBeInTheDocument();
    expect(button('Scan now')).toBeEnabled();
  });

  it('loads more with the cursor', async () => {
    const api = discoveryApi();
    api.listSuggestions
      .mockResolvedValueOnce(
        suggestionPage([RETURNS], { nextCursor: RETURNS.id }),
      )
      .mockResolvedValueOnce(suggestionPage([LEGACY]));
    const { table } = await renderList(api);
    expect(within(table).getAllByRole('row')).toHaveLength(2);
    await userEvent.click(button('Load more'));
    await waitFor(() =>
      expect(within(table).getAllByRole('row')).toHaveLength(3),
    );
    expect(api.listSuggestions).toHaveBeenLastCalledWith({
      status: 'open',
      limit: 50,
      cursor: 'github:acme/returns-service',
    });
    expect(rowOf(table, 'legacy-billing')).toBeInTheDocument();
    expect(
      screen.queryByRole('button', { name: 'Load more' }),
    ).not.toBeInTheDocument();
  });

  describe('bulk actions', () => {
    it('selects all on the page, adopts as inferred, and shows each result; failed ones stay selected', async () => {
      const api = discoveryApi();
      api.actOnSuggestions.mockResolvedValue({
        results: [
          adopted(RETURNS.id, 'component:default/returns-service'),
          failed(
            LEGACY.id,
            'adopt',
            400,
            'edits.type: required, discovery could not infer the type of pagerduty:PLEGACY',
          ),
        ],
      });
      await renderList(api);
      await waitFor(() =>
        expect(checkbox('Select all on this page')).toBeInTheDocument(),
      );
      expect(button('Adopt')).toBeDisabled();
      await userEvent.click(checkbox('Select all on this page'));
      expect(checkbox('Select returns-service')).toBeChecked();
      expect(checkbox('Select legacy-billing')).toBeChecked();
      expect(screen.getByText('2 selected')).toBeInTheDocument();

      await userEvent.click(button('Adopt'));
      const dialog = await screen.findByRole('dialog', {
        name: 'Adopt 2 suggestions',
      });
      expect(dialog).toHaveTextContent(
        'legacy-billing: discovery could not infer its type or owner',
      );
      // The remaining queue after the adoption.
      api.listSuggestions.mockResolvedValue(
        suggestionPage([LEGACY], { counts: { adopted: 6 } }),
      );
      await userEvent.click(
        within(dialog).getByRole('button', { name: 'Adopt all' }),
      );

      expect(api.actOnSuggestions).toHaveBeenCalledWith({
        actions: [
          { id: 'github:acme/returns-service', action: 'adopt' },
          { id: 'pagerduty:PLEGACY', action: 'adopt' },
        ],
      });
      const results = await screen.findByRole('region', { name: 'Results' });
      expect(results).toHaveTextContent('1 succeeded, 1 failed');
      expect(results).toHaveTextContent(
        'returns-service: Adopted as returns-service',
      );
      expect(
        within(results).getByRole('link', { name: /returns-service/ }),
      ).toHaveAttribute('href', '/catalog/default/component/returns-service');
      expect(results).toHaveTextContent(
        'legacy-billing: Failed (400): edits.type: required, discovery could not infer the type of pagerduty:PLEGACY',
      );
      expect(screen.queryByRole('dialog')).not.toBeInTheDocument();

      // The queue is read again; the failed one is still selected.
      await waitFor(() =>
        expect(
          screen.getByRole('tab', { name: 'Adopted (6)' }),
        ).toBeInTheDocument(),
      );
      expect(api.listSuggestions).toHaveBeenLastCalledWith({
        status: 'open',
        limit: 50,
      });
      expect(
        screen.queryByRole('checkbox', { name: 'Select returns-service' }),
      ).not.toBeInTheDocument();
      expect(checkbox('Select legacy-billing')).toBeChecked();
      expect(screen.getByText('1 selected')).toBeInTheDocument();
    });

    it('adopts one suggestion with the values edited in the dialog', async () => {
      const api = discoveryApi();
      api.actOnSuggestions.mockResolvedValue({
        results: [adopted(RETURNS.id, 'component:default/returns')],
      });
      await renderList(api);
      await waitFor(() =>
        expect(checkbox('Select returns-service')).toBeInTheDocument(),
      );
      await userEvent.click(checkbox('Select returns-service'));
      await userEvent.click(button('Adopt'));
      const dialog = await screen.findByRole('dialog', {
        name: 'Adopt returns-service',
      });
      fireEvent.change(within(dialog).getByLabelText(/^Name/), {
        target: { value: 'returns' },
      });
      fireEvent.change(within(dialog).getByLabelText(/^Tier/), {
        target: { value: '2' },
      });
      await userEvent.click(
        within(dialog).getByRole('button', { name: 'Adopt' }),
      );
      expect(api.actOnSuggestions).toHaveBeenCalledWith({
        actions: [
          {
            id: 'github:acme/returns-service',
            action: 'adopt',
            edits: {
              name: 'returns',
              title: 'Returns service',
              type: 'service',
              owner: 'group:default/team-returns',
              lifecycle: 'experimental',
              tier: '2',
              description: 'Handles returns and refunds.',
            },
          },
        ],
      });
      expect(
        await screen.findByRole('region', { name: 'Results' }),
      ).toHaveTextContent('1 succeeded, 0 failed');
    });

    it('ignores the selected suggestions with one reason', async () => {
      const api = discoveryApi();
      api.actOnSuggestions.mockResolvedValue({
        results: [
          { id: RETURNS.id, action: 'ignore', ok: true, status: 200 },
          failed(
            LEGACY.id,
            'ignore',
            409,
            'Suggestion pagerduty:PLEGACY was decided by someone else meanwhile',
          ),
        ],
      });
      await renderList(api);
      await waitFor(() =>
        expect(checkbox('Select all on this page')).toBeInTheDocument(),
      );
      await userEvent.click(checkbox('Select all on this page'));
      await userEvent.click(button('Ignore'));
      const dialog = await screen.findByRole('dialog', {
        name: 'Ignore 2 suggestions',
      });
      fireEvent.change(within(dialog).getByLabelText(/^Reason/), {
        target: { value: 'Sandboxes, not projects.' },
      });
      await userEvent.click(
        within(dialog).getByRole('button', { name: 'Ignore' }),
      );
      expect(api.actOnSuggestions).toHaveBeenCalledWith({
        actions: [
          {
            id: 'github:acme/returns-service',
            action: 'ignore',
            reason: 'Sandboxes, not projects.',
          },
          {
            id: 'pagerduty:PLEGACY',
            action: 'ignore',
            reason: 'Sandboxes, not projects.',
          },
        ],
      });
      const results = await screen.findByRole('region', { name: 'Results' });
      expect(results).toHaveTextContent('returns-service: Ignored');
      expect(results).toHaveTextContent(
        'legacy-billing: Failed (409): Suggestion pagerduty:PLEGACY was decided by someone else meanwhile',
      );
    });

    it('merges one suggestion into the entity it possibly matches', async () => {
      const api = discoveryApi();
      api.actOnSuggestions.mockResolvedValue({
        results: [
          {
            id: LEGACY.id,
            action: 'merge',
            ok: true,
            status: 200,
            entityRef: 'component:default/legacy-billing',
          },
        ],
      });
      await renderList(api);
      await waitFor(() =>
        expect(checkbox('Select all on this page')).toBeInTheDocument(),
      );
      await userEvent.click(checkbox('Select all on this page'));
      // Merging takes one suggestion at a time.
      expect(button('Merge')).toBeDisabled();
      await userEvent.click(checkbox('Select returns-service'));
      await userEvent.click(button('Merge'));
      const dialog = await screen.findByRole('dialog', {
        name: 'Merge legacy-billing into an entity',
      });
      expect(within(dialog).getByLabelText(/^Entity/)).toHaveValue(
        'component:default/legacy-billing',
      );
      await userEvent.click(
        within(dialog).getByRole('button', { name: 'Merge' }),
      );
      expect(api.actOnSuggestions).toHaveBeenCalledWith({
        actions: [
          {
            id: 'pagerduty:PLEGACY',
            action: 'merge',
            entityRef: 'component:default/legacy-billing',
          },
        ],
      });
      expect(
        await screen.findByRole('region', { name: 'Results' }),
      ).toHaveTextContent('legacy-billing: Merged into legacy-billing');
    });

    it('keeps the dialog open with the reason when the whole request is refused', async () => {
      const api = discoveryApi();
      api.actOnSuggestions.mockRejectedValue(
        await responseError(403, {
          error: {
            name: 'NotAllowedError',
            message:
              'user:default/ada is not allowed to project-catalog.discovery.review',
          },
        }),
      );
      await renderList(api);
      await waitFor(() =>
        expect(checkbox('Select returns-service')).toBeInTheDocument(),
      );
      await userEvent.click(checkbox('Select returns-service'));
      await userEvent.click(button('Ignore'));
      const dialog = await screen.findByRole('dialog');
      fireEvent.change(within(dialog).getByLabelText(/^Reason/), {
        target: { value: 'A fork.' },
      });
      await userEvent.click(
        within(dialog).getByRole('button', { name: 'Ignore' }),
      );
      expect(await within(dialog).findByRole('alert')).toHaveTextContent(
        'user:default/ada is not allowed to project-catalog.discovery.review',
      );
      expect(
        screen.queryByRole('region', { name: 'Results', hidden: true }),
      ).not.toBeInTheDocument();
      expect(api.listSuggestions).toHaveBeenCalledTimes(1);
      await userEvent.click(
        within(dialog).getByRole('button', { name: 'Cancel' }),
      );
      await waitFor(() =>
        expect(screen.queryByRole('dialog')).not.toBeInTheDocument(),
      );
      expect(checkbox('Select returns-service')).toBeChecked();
    });
  });
});
