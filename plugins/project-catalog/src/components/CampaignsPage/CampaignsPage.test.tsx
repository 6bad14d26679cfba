import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { Route, Routes } from 'react-router-dom';
import {
  CHECK_TYPES,
  campaign,
  counts,
  daysFromNow,
  entityStatus,
  point,
} from '../../__testUtils__/campaigns';
import {
  MockProjectCatalogApi,
  mockProjectCatalogApi,
  renderWithApis,
  responseError,
} from '../../__testUtils__/fixtures';
import { CampaignsContent, CampaignsPage } from './CampaignsPage';

const BASE = '/project-catalog/campaigns';
const PD = 'pagerduty-service';
const UNFINISHED = ['pending', 'in-progress', 'failing', 'error'];

const CART = entityStatus({
  entityRef: 'component:default/cart',
  owner: 'group:default/team-shop',
  status: 'failing',
  detail: 'annotation pagerduty.com/service-id is not set',
});
const SEARCH = entityStatus({
  entityRef: 'component:default/search',
  owner: 'group:default/team-search',
  status: 'in-progress',
  detail: 'PD service requested in OPS-12',
  manual: {
    status: 'in-progress',
    note: 'PD service requested in OPS-12',
    by: 'user:default/ada',
    at: daysFromNow(-1),
  },
  degraded: {
    reason: 'timed-out',
    message: 'GitHub did not answer in 10 s',
    since: daysFromNow(-2),
  },
});

function api(partial: (a: MockProjectCatalogApi) => void = () => {}) {
  const a = mockProjectCatalogApi();
  a.listCampaigns.mockResolvedValue([campaign()]);
  a.getCampaign.mockResolvedValue(campaign());
  a.getCampaignCheckTypes.mockResolvedValue(CHECK_TYPES);
  a.getCampaignHistory.mockImplementation(async (id, query) => ({
    campaignId: id,
    points: query?.byTeam
      ? [
          // The whole campaign comes too, as the backend answers byTeam: not a team.
          point('2026-03-03', { done: 5, exempt: 1, failing: 1, pending: 2 }),
          point(
            '2026-03-02',
            { done: 1, pending: 3 },
            'group:default/team-shop',
          ),
          point(
            '2026-03-03',
            { done: 4, failing: 1 },
            'group:default/team-shop',
          ),
          point(
            '2026-03-03',
            { done: 1, exempt: 1, pending: 2 },
            'group:default/team-search',
          ),
        ]
      : [
          point('2026-03-01', { pending: 8 }),
          point('2026-03-02', { done: 3, pending: 6 }),
          point('2026-03-03', { done: 6, exempt: 1, pending: 2, failing: 1 }),
        ],
  }));
  a.getCampaignEntities.mockResolvedValue({ items: [CART, SEARCH] });
  partial(a);
  return a;
}

async function renderAt(path: string, mockApi = api()) {
  const result = await renderWithApis(
    <Routes>
      <Route path={`${BASE}/*`} element={<CampaignsContent />} />
    </Routes>,
    { api: mockApi, route: path },
  );
  return { ...result, api: mockApi };
}

async function renderDetail(mockApi = api(), query = '') {
  const result = await renderAt(`${BASE}/${PD}${query}`, mockApi);
  await screen.findByRole('heading', {
    name: 'Every service declares its PagerDuty service',
  });
  return result;
}

const search = () =>
  decodeURIComponent(screen.getByTestId('location-search').textContent ?? '');

const entityRows = async () => {
  const table = await screen.findByRole('table', { name: 'Entities' });
  return within(table).getAllByRole('row').slice(1);
};

describe('CampaignsPage: the list', () => {
  it('shows a loading state, then every campaign with owner, deadline and progress', async () => {
    const a = api(x =>
      x.listCampaigns.mockResolvedValue([
        campaign({ degraded: { 'rate-limited': 2 } }),
        campaign({
          id: 'node-22-ci',
          title: 'CI runs on Node 22',
          owner: 'group:default/team-platform',
          origin: 'config',
          deadline: daysFromNow(-2),
          counts: counts({ done: 1, failing: 3 }),
        }),
      ]),
    );
    const answer = a.listCampaigns.getMockImplementation()!;
    let answered = () => {};
    a.listCampaigns.mockImplementationOnce(
      () =>
        new Promise(resolve => {
          answered = () => resolve(answer());
        }),
    );
    await renderAt(BASE, a);
    expect(
      screen.getByRole('status', { name: 'Loading campaigns' }),
    ).toBeInTheDocument();
    answered();
    const table = await screen.findByRole('table', { name: 'Campaigns' });
    const [, first, second] = within(table).getAllByRole('row');

    // The overdue one first: nearest deadline first.
    expect(
      within(first).getByRole('link', { name: 'CI runs on Node 22' }),
    ).toHaveAttribute('href', `${BASE}/node-22-ci`);
    expect(
      within(first).getByText('app-config · read-only'),
    ).toBeInTheDocument();
    expect(within(first).getByText('Overdue')).toBeInTheDocument();
    expect(
      within(first).getByRole('link', { name: /team-platform/ }),
    ).toBeInTheDocument();
    expect(
      within(first).getByText('1 of 4 finished (25%)'),
    ).toBeInTheDocument();
    expect(within(first).getByText('1 done · 3 failing')).toBeInTheDocument();

    expect(
      within(second).getByRole('link', {
        name: 'Every service declares its PagerDuty service',
      }),
    ).toHaveAttribute('href', `${BASE}/${PD}`);
    expect(
      within(second).getByRole('progressbar', {
        name: 'Every service declares its PagerDuty service: 7 of 10 finished',
      }),
    ).toHaveAttribute('aria-valuenow', '70');
    expect(
      within(second).getByText('2 pending · 6 done · 1 exempt · 1 failing'),
    ).toBeInTheDocument();
    expect(within(second).getByText('2 degraded')).toBeInTheDocument();
    expect(
      within(second).queryByText('app-config · read-only'),
    ).not.toBeInTheDocument();
    expect(within(second).queryByText('Overdue')).not.toBeInTheDocument();
  });

  it('says so when there are no campaigns', async () => {
    await renderAt(
      BASE,
      api(x => x.listCampaigns.mockResolvedValue([])),
    );
    expect(await screen.findByText('No campaigns yet.')).toBeInTheDocument();
  });

  it('keeps an error on the page and retries on demand', async () => {
    const a = api();
    a.listCampaigns
      .mockRejectedValueOnce(
        await responseError(500, {
          error: { name: 'Error', message: 'database is down' },
          response: { statusCode: 500 },
        }),
      )
      .mockResolvedValueOnce([campaign()]);
    await renderAt(BASE, a);
    expect(
      await screen.findByText(/Could not load the campaigns: database is down/),
    ).toBeInTheDocument();
    await userEvent.click(screen.getByRole('button', { name: 'Retry' }));
    expect(
      await screen.findByRole('table', { name: 'Campaigns' }),
    ).toBeInTheDocument();
  });

  it('shows 50 campaigns at first and more on demand', async () => {
    const many = Array.from({ length: 51 }, (_, i) =>
      campaign({
        id: `c-${i}`,
        title: `Campaign ${i}`,
        deadline: daysFromNow(i + 1),
      }),
    );
    await renderAt(
      BASE,
      api(x => x.listCampaigns.mockResolvedValue(many)),
    );
    const table = await screen.findByRole('table', { name: 'Campaigns' });
    expect(within(table).getAllByRole('row')).toHaveLength(51); // with the header
    await userEvent.click(
      screen.getByRole('button', { name: 'Show more (1 left)' }),
    );
    expect(within(table).getAllByRole('row')).toHaveLength(52);
    expect(
      within(table).getByRole('link', { name: 'Campaign 50' }),
    ).toBeInTheDocument();
  });

  it('lets managers start a campaign, then opens its page', async () => {
    const a = api();
    a.createCampaign.mockResolvedValue(
      campaign({ id: 'node-22-ci', title: 'CI runs on Node 22' }),
    );
    await renderAt(BASE, a);
    await userEvent.click(
      await screen.findByRole('button', { name: 'New campaign' }),
    );
    const dialog = await screen.findByRole('dialog', { name: 'New campaign' });
    const fill = (label: RegExp, value: string) =>
      fireEvent.change(
        within(dialog).getByLabelText(label, { selector: 'input,textarea' }),
        { target: { value } },
      );
    fill(/^Id/, 'node-22-ci');
    fill(/^Title/, 'CI runs on Node 22');
    fill(/^Owner/, 'team-platform');
    fill(/^Starts/, '2027-01-01');
    fill(/^Deadline/, '2027-03-31');
    fill(/^Kinds/, 'component');
    fireEvent.mouseDown(
      within(dialog).getByRole('button', { name: /Check type/ }),
    );
    fireEvent.click(
      await screen.findByRole('option', { name: 'Set by the owners' }),
    );
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Create campaign' }),
    );
    await waitFor(() =>
      expect(screen.getByTestId('location')).toHaveTextContent(
        `${BASE}/node-22-ci`,
      ),
    );
    expect(a.createCampaign).toHaveBeenCalledWith({
      id: 'node-22-ci',
      title: 'CI runs on Node 22',
      owner: 'team-platform',
      startsAt: '2027-01-01',
      deadline: '2027-03-31',
      scope: { kind: ['component'] },
      check: { type: 'manual', config: {} },
    });
  });

  it('mounts the list and a campaign in the legacy page with its header', async () => {
    await renderWithApis(
      <Routes>
        <Route path={`${BASE}/*`} element={<CampaignsPage />} />
      </Routes>,
      { api: api(), route: BASE },
    );
    expect(
      await screen.findByRole('heading', { name: 'Migration campaigns' }),
    ).toBeInTheDocument();
    expect(screen.getByText('Project Catalog')).toBeInTheDocument();
  });
});

describe('CampaignsPage: a campaign', () => {
  it('shows the facts of the campaign', async () => {
    const { api: a } = await renderDetail();
    expect(a.getCampaign).toHaveBeenCalledWith(PD);
    const dl = screen.getByLabelText('Campaign facts');
    expect(
      within(dl).getByRole('link', { name: /team-sre/ }),
    ).toBeInTheDocument();
    expect(dl).toHaveTextContent('kind: component; type: service');
    expect(
      await within(dl).findByText(
        'Entity field or annotation {"annotation":"pagerduty.com/service-id"}',
      ),
    ).toBeInTheDocument();
    expect(dl).toHaveTextContent('7 of 10 finished (70%)');
    expect(
      screen.getByText(
        'Add the pagerduty.com/service-id annotation to catalog-info.yaml.',
      ),
    ).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'All campaigns' })).toHaveAttribute(
      'href',
      BASE,
    );
  });

  it('draws the burn-up of finished against all, and gives its data as a table', async () => {
    const { api: a } = await renderDetail();
    expect(
      await screen.findByRole('img', {
        name: 'Burn-up: 7 of 10 finished on 2026-03-03, from 0 of 8 on 2026-03-01',
      }),
    ).toBeInTheDocument();
    expect(a.getCampaignHistory).toHaveBeenCalledWith(PD);
    // The chart itself is drawn (recharts renders SVG lines in jsdom at its initial size).
    expect(
      document.querySelectorAll('.recharts-line').length,
    ).toBeGreaterThanOrEqual(2);
    await userEvent.click(
      screen.getByRole('button', { name: 'Show the data as a table' }),
    );
    const rows = within(screen.getByRole('table', { name: 'Burn-up data' }))
      .getAllByRole('row')
      .map(r => r.textContent);
    expect(rows).toEqual([
      'DayFinishedAll entities',
      '2026-03-03710',
      '2026-03-0239',
      '2026-03-0108',
    ]);
  });

  it('says so when there is no history yet', async () => {
    await renderDetail(
      api(x =>
        x.getCampaignHistory.mockResolvedValue({ campaignId: PD, points: [] }),
      ),
    );
    expect(await screen.findByText('No history yet.')).toBeInTheDocument();
    expect(screen.getByText('No history by team yet.')).toBeInTheDocument();
  });

  it('keeps a failed history inside its card and retries it', async () => {
    const a = api();
    const ok = a.getCampaignHistory.getMockImplementation()!;
    a.getCampaignHistory
      .mockRejectedValueOnce(new Error('history is down'))
      .mockRejectedValueOnce(new Error('history is down'));
    await renderDetail(a);
    expect(
      await screen.findByText(/Could not load the burn-up: history is down/),
    ).toBeInTheDocument();
    a.getCampaignHistory.mockImplementation(ok);
    const retry = screen.getAllByRole('button', { name: 'Retry' });
    await userEvent.click(retry[0]);
    expect(
      await screen.findByRole('img', { name: /^Burn-up: 7 of 10/ }),
    ).toBeInTheDocument();
  });

  it("breaks progress down by team, from each team's last day, least finished first", async () => {
    const { api: a } = await renderDetail();
    const table = await screen.findByRole('table', {
      name: 'Progress by team',
    });
    expect(a.getCampaignHistory).toHaveBeenCalledWith(PD, { byTeam: true });
    const rows = within(table).getAllByRole('row').slice(1);
    expect(rows.map(r => r.textContent)).toEqual([
      'team-search2450%Show entities',
      'team-shop4580%Show entities',
    ]);
  });

  it('lists the unfinished entities first, with owner, status and detail', async () => {
    const { api: a } = await renderDetail();
    const rows = await entityRows();
    expect(a.getCampaignEntities).toHaveBeenCalledWith(PD, {
      status: UNFINISHED,
      limit: 50,
    });
    expect(rows).toHaveLength(2);
    expect(
      within(rows[0]).getByRole('link', { name: /cart/ }),
    ).toBeInTheDocument();
    expect(
      within(rows[0]).getByRole('link', { name: /team-shop/ }),
    ).toBeInTheDocument();
    expect(
      within(rows[0]).getByLabelText('Status: Failing'),
    ).toBeInTheDocument();
    expect(
      within(rows[0]).getByText(
        'annotation pagerduty.com/service-id is not set',
      ),
    ).toBeInTheDocument();
    const chips = within(
      screen.getByRole('group', { name: 'Filter by status' }),
    );
    expect(chips.getByRole('button', { name: 'Failing' })).toHaveAttribute(
      'aria-pressed',
      'true',
    );
    expect(chips.getByRole('button', { name: 'Done' })).toHaveAttribute(
      'aria-pressed',
      'false',
    );
  });

  it('filters by status: the query follows the chips, and the page address keeps them', async () => {
    const { api: a } = await renderDetail();
    await entityRows();
    const chips = within(
      screen.getByRole('group', { name: 'Filter by status' }),
    );
    await userEvent.click(chips.getByRole('button', { name: 'Done' }));
    await waitFor(() =>
      expect(a.getCampaignEntities).toHaveBeenLastCalledWith(PD, {
        status: ['pending', 'in-progress', 'done', 'failing', 'error'],
        limit: 50,
      }),
    );
    expect(search()).toBe('?status=pending,in-progress,done,failing,error');

    for (const name of ['Pending', 'In progress', 'Done', 'Failing']) {
      await userEvent.click(chips.getByRole('button', { name }));
    }
    await waitFor(() =>
      expect(a.getCampaignEntities).toHaveBeenLastCalledWith(PD, {
        status: ['error'],
        limit: 50,
      }),
    );
    await userEvent.click(chips.getByRole('button', { name: 'Error' }));
    // No status chosen: every status, so no status in the query.
    await waitFor(() =>
      expect(a.getCampaignEntities).toHaveBeenLastCalledWith(PD, { limit: 50 }),
    );
    expect(search()).toBe('?status=');
    expect(chips.getByText('Every status')).toBeInTheDocument();
  });

  it('filters by owner', async () => {
    const { api: a } = await renderDetail();
    await entityRows();
    const form = screen.getByRole('form', { name: 'Filter by owner' });
    await userEvent.type(
      within(form).getByRole('textbox', { name: 'Owner' }),
      'group:default/team-shop{enter}',
    );
    await waitFor(() =>
      expect(a.getCampaignEntities).toHaveBeenLastCalledWith(PD, {
        status: UNFINISHED,
        owner: 'group:default/team-shop',
        limit: 50,
      }),
    );
    expect(search()).toBe('?owner=group:default/team-shop');
    await userEvent.click(
      within(form).getByRole('button', { name: 'All owners' }),
    );
    await waitFor(() =>
      expect(a.getCampaignEntities).toHaveBeenLastCalledWith(PD, {
        status: UNFINISHED,
        limit: 50,
      }),
    );
  });

  it("lists a team's entities from the breakdown", async () => {
    const { api: a } = await renderDetail();
    await userEvent.click(
      await screen.findByRole('button', {
        name: 'Show the entities of group:default/team-shop',
      }),
    );
    await waitFor(() =>
      expect(a.getCampaignEntities).toHaveBeenLastCalledWith(PD, {
        status: UNFINISHED,
        owner: 'group:default/team-shop',
        limit: 50,
      }),
    );
    expect(screen.getByRole('textbox', { name: 'Owner' })).toHaveValue(
      'group:default/team-shop',
    );
  });

  it('takes its filters from the page address', async () => {
    const { api: a } = await renderDetail(
      api(),
      '?status=failing,error&owner=group:default/team-shop',
    );
    await entityRows();
    expect(a.getCampaignEntities).toHaveBeenCalledWith(PD, {
      status: ['failing', 'error'],
      owner: 'group:default/team-shop',
      limit: 50,
    });
  });

  it('loads more a page at a time with the cursor and the same filters', async () => {
    const a = api(x =>
      x.getCampaignEntities
        .mockResolvedValueOnce({ items: [CART], nextCursor: 'Y2FydA' })
        .mockResolvedValueOnce({ items: [SEARCH] }),
    );
    await renderDetail(a, '?status=failing,pending');
    expect(await entityRows()).toHaveLength(1);
    await userEvent.click(screen.getByRole('button', { name: 'Load more' }));
    await waitFor(async () => expect(await entityRows()).toHaveLength(2));
    expect(a.getCampaignEntities).toHaveBeenLastCalledWith(PD, {
      status: ['pending', 'failing'],
      cursor: 'Y2FydA',
      limit: 50,
    });
    expect(
      screen.queryByRole('button', { name: 'Load more' }),
    ).not.toBeInTheDocument();
    expect(screen.getByText('2 shown')).toBeInTheDocument();
  });

  it('says so when no entity matches the filters', async () => {
    await renderDetail(
      api(x => x.getCampaignEntities.mockResolvedValue({ items: [] })),
    );
    expect(
      await screen.findByText('No entities with these filters.'),
    ).toBeInTheDocument();
  });

  it('starts an evaluation and reloads on demand', async () => {
    const a = api();
    a.evaluateCampaign.mockResolvedValue(undefined);
    await renderDetail(a);
    await userEvent.click(screen.getByRole('button', { name: 'Evaluate now' }));
    expect(
      await screen.findByText(
        'Evaluation started. The statuses update when it finishes.',
      ),
    ).toBeInTheDocument();
    expect(a.evaluateCampaign).toHaveBeenCalledWith(PD);
    const calls = a.getCampaign.mock.calls.length;
    await userEvent.click(screen.getByRole('button', { name: 'Reload' }));
    await waitFor(() =>
      expect(a.getCampaign.mock.calls.length).toBeGreaterThan(calls),
    );
    await waitFor(() => expect(a.getCampaignEntities).toHaveBeenCalledTimes(2));
  });

  it('shows why an evaluation could not start', async () => {
    const a = api();
    a.evaluateCampaign.mockRejectedValue(
      await responseError(403, {
        error: { name: 'NotAllowedError', message: 'not allowed to evaluate' },
        response: { statusCode: 403 },
      }),
    );
    await renderDetail(a);
    await userEvent.click(screen.getByRole('button', { name: 'Evaluate now' }));
    expect(
      await screen.findByText(
        'Could not start an evaluation: not allowed to evaluate',
      ),
    ).toBeInTheDocument();
  });

  it('edits the campaign and shows the saved version', async () => {
    const a = api();
    a.updateCampaign.mockResolvedValue(
      campaign({ title: 'PagerDuty for every service', version: 4 }),
    );
    await renderDetail(a);
    await userEvent.click(screen.getByRole('button', { name: 'Edit' }));
    const dialog = await screen.findByRole('dialog', { name: 'Edit campaign' });
    const title = within(dialog).getByLabelText(/^Title/, {
      selector: 'input',
    });
    await userEvent.clear(title);
    await userEvent.type(title, 'PagerDuty for every service');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Save' }));
    expect(
      await screen.findByRole('heading', {
        name: 'PagerDuty for every service',
      }),
    ).toBeInTheDocument();
    expect(a.updateCampaign).toHaveBeenCalledWith(PD, {
      version: 3,
      title: 'PagerDuty for every service',
    });
  });

  it('keeps a campaign from app-config read-only, with a note saying where it is defined', async () => {
    await renderDetail(
      api(x => x.getCampaign.mockResolvedValue(campaign({ origin: 'config' }))),
    );
    expect(
      screen.getByText(
        /This campaign is defined in app-config \(projectCatalog.campaigns.definitions\): it is read-only here/,
      ),
    ).toBeInTheDocument();
    expect(
      screen.queryByRole('button', { name: 'Edit' }),
    ).not.toBeInTheDocument();
    expect(
      screen.getByRole('button', { name: 'Evaluate now' }),
    ).toBeInTheDocument();
  });

  it('shows a failed evaluation and the entities whose check could not answer', async () => {
    await renderDetail(
      api(x =>
        x.getCampaign.mockResolvedValue(
          campaign({
            evaluationError: 'the catalog could not be read',
            degraded: { 'rate-limited': 2, 'timed-out': 1 },
          }),
        ),
      ),
    );
    expect(
      screen.getByText(
        'The last evaluation failed: the catalog could not be read',
      ),
    ).toBeInTheDocument();
    expect(
      screen.getByText(
        'The last check could not answer for 3 entities (2 rate limited, 1 timed out); they keep their status from before.',
      ),
    ).toBeInTheDocument();
  });

  it('exempts an entity with a reason, and removes the exemption', async () => {
    const a = api();
    const exempt = {
      ...CART,
      status: 'exempt' as const,
      detail: 'Decommissioned in Q2',
      exemption: {
        reason: 'Decommissioned in Q2',
        by: 'user:default/ada',
        at: new Date().toISOString(),
      },
    };
    a.setCampaignExemption.mockResolvedValue(exempt);
    a.clearCampaignExemption.mockResolvedValue(CART);
    await renderDetail(a);
    let [cart] = await entityRows();
    await userEvent.click(
      within(cart).getByRole('button', {
        name: 'Exempt component:default/cart',
      }),
    );
    const dialog = await screen.findByRole('dialog');
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Exempt' }),
    );
    expect(
      within(dialog).getByText('is required: say why this entity is exempt'),
    ).toBeInTheDocument();
    await userEvent.type(
      within(dialog).getByRole('textbox', { name: /Reason/ }),
      'Decommissioned in Q2',
    );
    const campaignReads = a.getCampaign.mock.calls.length;
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Exempt' }),
    );
    await waitFor(() =>
      expect(screen.queryByRole('dialog')).not.toBeInTheDocument(),
    );
    expect(a.setCampaignExemption).toHaveBeenCalledWith(
      PD,
      'component:default/cart',
      { reason: 'Decommissioned in Q2' },
    );
    [cart] = await entityRows();
    expect(within(cart).getByLabelText('Status: Exempt')).toBeInTheDocument();
    expect(
      within(cart).getByText(
        'Exempt: Decommissioned in Q2 (by user:default/ada)',
      ),
    ).toBeInTheDocument();
    // The counts changed: the campaign is read again.
    await waitFor(() =>
      expect(a.getCampaign.mock.calls.length).toBeGreaterThan(campaignReads),
    );

    await userEvent.click(
      within(cart).getByRole('button', {
        name: 'Remove the exemption of component:default/cart',
      }),
    );
    await waitFor(async () =>
      expect(
        within((await entityRows())[0]).getByLabelText('Status: Failing'),
      ).toBeInTheDocument(),
    );
    expect(a.clearCampaignExemption).toHaveBeenCalledWith(
      PD,
      'component:default/cart',
    );
  });

  it('keeps an unknown campaign to an error with a way back', async () => {
    const a = api();
    a.getCampaign.mockRejectedValue(
      await responseError(404, {
        error: { name: 'NotFoundError', message: 'No campaign nope' },
        response: { statusCode: 404 },
      }),
    );
    await renderAt(`${BASE}/nope`, a);
    expect(
      await screen.findByText(/Could not load the campaign: No campaign nope/),
    ).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Retry' })).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'All campaigns' })).toHaveAttribute(
      'href',
      BASE,
    );
  });
});
