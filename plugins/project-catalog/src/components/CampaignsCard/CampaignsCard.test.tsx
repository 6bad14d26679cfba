import { EntityProvider } from '@backstage/plugin-catalog-react';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import {
  TestApiProvider,
  mockApis,
  renderInTestApp,
} from '@backstage/test-utils';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import {
  daysFromNow,
  entityCampaign,
  entityStatus,
} from '../../__testUtils__/campaigns';
import {
  PAYMENTS,
  mockProjectCatalogApi,
  paymentsEntity,
  renderWithApis,
  responseError,
} from '../../__testUtils__/fixtures';
import { projectCatalogApiRef } from '../../api';
import { CampaignsCard } from './CampaignsCard';

const TITLE = 'Every service declares its PagerDuty service';

async function renderCard(
  items: ReturnType<typeof entityCampaign>[],
  api = mockProjectCatalogApi(),
) {
  api.getEntityCampaigns.mockResolvedValue(items);
  const result = await renderWithApis(<CampaignsCard />, { api });
  if (items.length) {
    await screen.findByRole('region', { name: items[0].campaign.title });
  }
  return result;
}

const section = (name = TITLE) => screen.getByRole('region', { name });

describe('CampaignsCard', () => {
  it('shows a loading state while the backend answers', async () => {
    const api = mockProjectCatalogApi();
    api.getEntityCampaigns.mockReturnValue(new Promise(() => {}));
    await renderWithApis(<CampaignsCard />, { api });
    expect(
      screen.getByRole('status', { name: 'Loading campaigns' }),
    ).toBeInTheDocument();
    expect(api.getEntityCampaigns).toHaveBeenCalledWith(PAYMENTS);
  });

  it('says so when the project is in no campaign', async () => {
    await renderWithApis(<CampaignsCard />);
    expect(
      await screen.findByText('This project is in no campaign.'),
    ).toBeInTheDocument();
  });

  it('keeps an error inside the card and retries on demand', async () => {
    const api = mockProjectCatalogApi();
    api.getEntityCampaigns
      .mockRejectedValueOnce(
        await responseError(503, {
          response: { statusCode: 503 },
          error: { name: 'ServiceUnavailable', message: 'database is down' },
        }),
      )
      .mockResolvedValueOnce([entityCampaign()]);
    await renderWithApis(<CampaignsCard />, { api });
    expect(
      await screen.findByText(/Could not load the campaigns: database is down/),
    ).toBeInTheDocument();
    await userEvent.click(screen.getByRole('button', { name: 'Retry' }));
    expect(
      await screen.findByRole('link', { name: TITLE }),
    ).toBeInTheDocument();
    expect(api.getEntityCampaigns).toHaveBeenCalledTimes(2);
  });

  it('shows each campaign: link, status, what to do next and the deadline', async () => {
    await renderCard([entityCampaign()]);
    const item = section();
    expect(within(item).getByRole('link', { name: TITLE })).toHaveAttribute(
      'href',
      '/project-catalog/campaigns/pagerduty-service',
    );
    expect(within(item).getByLabelText('Status: Failing')).toBeInTheDocument();
    expect(
      within(item).getByText(
        'Add the pagerduty.com/service-id annotation to catalog-info.yaml.',
      ),
    ).toBeInTheDocument();
    expect(
      within(item).getByText('annotation pagerduty.com/service-id is not set'),
    ).toBeInTheDocument();
    expect(within(item).getByText(/\(in 30 d\)/)).toBeInTheDocument();
    expect(within(item).queryByText('Overdue')).not.toBeInTheDocument();
  });

  it('lists unfinished campaigns first, nearest deadline first', async () => {
    await renderCard([
      entityCampaign(
        { id: 'done-one', title: 'Done one', deadline: daysFromNow(1) },
        { status: 'done', detail: 'set' },
      ),
      entityCampaign({
        id: 'later',
        title: 'Later',
        deadline: daysFromNow(60),
      }),
      entityCampaign({
        id: 'sooner',
        title: 'Sooner',
        deadline: daysFromNow(5),
      }),
    ]);
    const titles = screen
      .getAllByRole('heading', { level: 3 })
      .map(h => h.textContent);
    expect(titles).toEqual(['Sooner', 'Later', 'Done one']);
  });

  it('marks a passed deadline as overdue while the work is not finished', async () => {
    await renderCard([
      entityCampaign({ deadline: daysFromNow(-3) }),
      entityCampaign(
        { id: 'finished', title: 'Finished', deadline: daysFromNow(-3) },
        { status: 'done', detail: 'annotation set' },
      ),
    ]);
    expect(within(section()).getByText('Overdue')).toBeInTheDocument();
    expect(within(section()).getByText(/\(3 d ago\)/)).toBeInTheDocument();
    expect(
      within(section('Finished')).queryByText('Overdue'),
    ).not.toBeInTheDocument();
  });

  it('says when the last check could not answer and the status is from before', async () => {
    await renderCard([
      entityCampaign(
        {},
        {
          degraded: {
            reason: 'rate-limited',
            message: 'GitHub answered 429',
            since: daysFromNow(-1 / 24),
          },
        },
      ),
    ]);
    expect(
      within(section()).getByText(
        /The last check could not answer \(rate limited since 1 h ago\): GitHub answered 429. The status shown is from before./,
      ),
    ).toBeInTheDocument();
  });

  it('shows the reason of an exemption, and offers no status to set', async () => {
    await renderCard([
      entityCampaign(
        {},
        {
          status: 'exempt',
          detail: 'Batch job, never paged',
          exemption: {
            reason: 'Batch job, never paged',
            by: 'user:default/grace',
            at: daysFromNow(-1),
          },
        },
      ),
    ]);
    const item = section();
    expect(within(item).getByLabelText('Status: Exempt')).toBeInTheDocument();
    expect(
      within(item).getByText(
        'Exempt: Batch job, never paged (by user:default/grace)',
      ),
    ).toBeInTheDocument();
    expect(
      within(item).queryByRole('button', { name: /status for/ }),
    ).not.toBeInTheDocument();
  });

  it("lets owners say work is in progress, the only status a check's campaign takes", async () => {
    const api = mockProjectCatalogApi();
    const saved = entityStatus({
      status: 'in-progress',
      detail: 'PD service requested in OPS-12',
      manual: {
        status: 'in-progress',
        note: 'PD service requested in OPS-12',
        by: 'user:default/ada',
        at: new Date().toISOString(),
      },
    });
    api.setCampaignManualStatus.mockResolvedValue(saved);
    await renderCard([entityCampaign()], api);
    await userEvent.click(
      screen.getByRole('button', { name: `Set status for ${TITLE}` }),
    );
    const dialog = await screen.findByRole('dialog');
    await userEvent.click(
      within(dialog).getByRole('button', { name: /Status/ }),
    );
    const options = await screen.findAllByRole('option');
    expect(options.map(o => o.textContent)).toEqual(['In progress']);
    await userEvent.click(options[0]);
    await userEvent.type(
      within(dialog).getByRole('textbox', { name: /Note/ }),
      '  PD service requested in OPS-12 ',
    );
    await userEvent.click(within(dialog).getByRole('button', { name: 'Save' }));

    await waitFor(() =>
      expect(screen.queryByRole('dialog')).not.toBeInTheDocument(),
    );
    expect(api.setCampaignManualStatus).toHaveBeenCalledWith(
      'pagerduty-service',
      PAYMENTS,
      { status: 'in-progress', note: 'PD service requested in OPS-12' },
    );
    const item = section();
    expect(
      within(item).getByLabelText('Status: In progress'),
    ).toBeInTheDocument();
    expect(within(item).getByText(/Owners' note/)).toHaveTextContent(
      /^Owners' note \(In progress, by user:default\/ada, \d+ s ago\): PD service requested in OPS-12$/,
    );
    expect(
      within(item).getByRole('button', { name: `Change status for ${TITLE}` }),
    ).toBeInTheDocument();
  });

  it('offers pending, in progress and done on a campaign decided by hand', async () => {
    const api = mockProjectCatalogApi();
    api.setCampaignManualStatus.mockResolvedValue(
      entityStatus({ status: 'done', detail: 'Migrated' }),
    );
    await renderCard(
      [
        entityCampaign(
          {
            check: {
              type: 'manual',
              config: { instructions: 'Move the CI to Node 22.' },
            },
          },
          {
            status: 'pending',
            detail: 'Waiting for the owners to set a status',
          },
        ),
      ],
      api,
    );
    expect(
      within(section()).getByText('Move the CI to Node 22.'),
    ).toBeInTheDocument();
    await userEvent.click(
      screen.getByRole('button', { name: `Set status for ${TITLE}` }),
    );
    const dialog = await screen.findByRole('dialog');
    await userEvent.click(
      within(dialog).getByRole('button', { name: /Status/ }),
    );
    const options = await screen.findAllByRole('option');
    expect(options.map(o => o.textContent)).toEqual([
      'Pending',
      'In progress',
      'Done',
    ]);
    await userEvent.click(screen.getByRole('option', { name: 'Done' }));
    await userEvent.type(
      within(dialog).getByRole('textbox', { name: /Note/ }),
      'Migrated',
    );
    await userEvent.click(within(dialog).getByRole('button', { name: 'Save' }));
    await waitFor(() =>
      expect(api.setCampaignManualStatus).toHaveBeenCalledWith(
        'pagerduty-service',
        PAYMENTS,
        { status: 'done', note: 'Migrated' },
      ),
    );
    expect(
      await within(section()).findByLabelText('Status: Done'),
    ).toBeInTheDocument();
  });

  it('asks for a note before sending, and keeps it within the limit', async () => {
    const api = mockProjectCatalogApi();
    await renderCard([entityCampaign()], api);
    await userEvent.click(
      screen.getByRole('button', { name: `Set status for ${TITLE}` }),
    );
    const dialog = await screen.findByRole('dialog');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Save' }));
    expect(
      within(dialog).getByText('is required: say what is happening'),
    ).toBeInTheDocument();

    const note = within(dialog).getByRole('textbox', { name: /Note/ });
    await userEvent.click(note);
    await userEvent.paste('x'.repeat(1001));
    await userEvent.click(within(dialog).getByRole('button', { name: 'Save' }));
    expect(
      within(dialog).getByText('must be at most 1000 characters'),
    ).toBeInTheDocument();
    expect(api.setCampaignManualStatus).not.toHaveBeenCalled();
  });

  it("shows the backend's refusal in the dialog and keeps the card as it was", async () => {
    const api = mockProjectCatalogApi();
    const message =
      'user:default/bob may not set the status of component:default/payments-api';
    api.setCampaignManualStatus.mockRejectedValue(
      await responseError(403, {
        response: { statusCode: 403 },
        error: { name: 'NotAllowedError', message },
      }),
    );
    await renderCard([entityCampaign()], api);
    await userEvent.click(
      screen.getByRole('button', { name: `Set status for ${TITLE}` }),
    );
    const dialog = await screen.findByRole('dialog');
    await userEvent.type(
      within(dialog).getByRole('textbox', { name: /Note/ }),
      'On it',
    );
    await userEvent.click(within(dialog).getByRole('button', { name: 'Save' }));
    expect(await within(dialog).findByRole('alert')).toHaveTextContent(message);
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Cancel' }),
    );
    await waitFor(() =>
      expect(screen.queryByRole('dialog')).not.toBeInTheDocument(),
    );
    expect(
      within(section()).getByLabelText('Status: Failing'),
    ).toBeInTheDocument();
    expect(
      within(section()).queryByText(/Owners' note/),
    ).not.toBeInTheDocument();
  });

  it('clears the manual status', async () => {
    const api = mockProjectCatalogApi();
    api.clearCampaignManualStatus.mockResolvedValue(entityStatus());
    await renderCard(
      [
        entityCampaign(
          {},
          {
            status: 'in-progress',
            detail: 'Waiting on OPS-12',
            manual: {
              status: 'in-progress',
              note: 'Waiting on OPS-12',
              by: 'user:default/ada',
              at: daysFromNow(-2),
            },
          },
        ),
      ],
      api,
    );
    expect(within(section()).getByText(/Owners' note/)).toHaveTextContent(
      "Owners' note (In progress, by user:default/ada, 2 d ago): Waiting on OPS-12",
    );
    await userEvent.click(
      screen.getByRole('button', { name: `Change status for ${TITLE}` }),
    );
    const dialog = await screen.findByRole('dialog');
    expect(within(dialog).getByRole('textbox', { name: /Note/ })).toHaveValue(
      'Waiting on OPS-12',
    );
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Clear status' }),
    );
    await waitFor(() =>
      expect(screen.queryByRole('dialog')).not.toBeInTheDocument(),
    );
    expect(api.clearCampaignManualStatus).toHaveBeenCalledWith(
      'pagerduty-service',
      PAYMENTS,
    );
    expect(
      within(section()).queryByText(/Owners' note/),
    ).not.toBeInTheDocument();
    expect(
      within(section()).getByLabelText('Status: Failing'),
    ).toBeInTheDocument();
  });

  it('shows the title without a link when the app has no campaigns page', async () => {
    const api = mockProjectCatalogApi();
    api.getEntityCampaigns.mockResolvedValue([entityCampaign()]);
    await renderInTestApp(
      <TestApiProvider
        apis={[
          [projectCatalogApiRef, api],
          [permissionApiRef, mockApis.permission()],
        ]}
      >
        <EntityProvider entity={paymentsEntity()}>
          <CampaignsCard />
        </EntityProvider>
      </TestApiProvider>,
    );
    expect(
      await screen.findByRole('heading', { name: TITLE }),
    ).toBeInTheDocument();
    expect(screen.queryByRole('link', { name: TITLE })).not.toBeInTheDocument();
  });

  it('keeps a render failure inside the card, not the page', async () => {
    jest.spyOn(console, 'error').mockImplementation(() => {});
    // No entity around the card: its content throws, the card's ErrorBoundary catches it.
    await renderInTestApp(
      <TestApiProvider apis={[[projectCatalogApiRef, mockProjectCatalogApi()]]}>
        <p>Rest of the page</p>
        <CampaignsCard />
      </TestApiProvider>,
    );
    expect(screen.getByText('Rest of the page')).toBeInTheDocument();
    expect(screen.getByText(/Something Went Wrong/i)).toBeInTheDocument();
  });

  it('shows a campaign that has not started yet with its start', async () => {
    await renderCard([
      entityCampaign({ startsAt: daysFromNow(10), deadline: daysFromNow(40) }),
    ]);
    expect(within(section()).getByText(/Starts/)).toHaveTextContent(
      /Starts \d{1,2} \w{3} \d{4} · Deadline:/,
    );
  });
});
