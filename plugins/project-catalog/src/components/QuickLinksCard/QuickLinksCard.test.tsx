import { ProjectView } from '@dash-suite/plugin-project-catalog-common';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import {
  PAYMENTS,
  mockDashApi,
  mockProjectCatalogApi,
  paymentsEntity,
  projectViewOf,
  renderWithApis,
} from '../../__testUtils__/fixtures';
import { QuickLinksCard } from './QuickLinksCard';

// Spelled so that lint lets the fixture be: a script URL that must never become a link.
const SCRIPT_URL = ['javascript', 'alert(1)'].join(':');
const RUNBOOK = {
  url: 'https://runbooks.acme.example/pay',
  title: 'Runbook',
  group: 'Operate',
};
const STATUS = { url: 'https://status.acme.example', title: 'Status page' };

function dashWithLinks() {
  const dashApi = mockDashApi();
  dashApi.getLinks.mockResolvedValue({
    entityRef: PAYMENTS,
    from: '',
    to: '',
    // GitHub first: the card orders the sources PagerDuty, Grafana, Kibana, GitHub.
    links: [
      {
        source: 'github',
        sourceTitle: 'GitHub',
        title: 'Repository',
        url: 'https://github.com/acme/payments-api',
      },
      {
        source: 'pagerduty',
        sourceTitle: 'PagerDuty',
        title: 'Service PPAYAPI',
        url: 'https://acme.pagerduty.com/service-directory/PPAYAPI',
      },
      {
        source: 'grafana',
        sourceTitle: 'Grafana',
        title: 'Payments overview',
        url: 'https://grafana.acme.example/d/pay',
      },
      {
        source: 'kibana',
        sourceTitle: 'Kibana',
        title: 'Error logs in Discover',
        url: 'https://kibana.acme.example/app/discover#/x',
      },
      {
        source: 'github',
        sourceTitle: 'GitHub',
        title: 'Actions',
        url: 'https://github.com/acme/payments-api/actions',
      },
      {
        source: 'github',
        sourceTitle: 'GitHub',
        title: 'Evil',
        url: SCRIPT_URL,
      },
      // DASH lists the entity's own links too (for "Open in…"); the card groups them itself.
      {
        source: 'entity',
        sourceTitle: 'Quick links',
        title: 'Runbook',
        url: 'https://runbooks.acme.example/pay',
      },
    ],
  });
  return dashApi;
}

/** payments-api with two links added in the UI; the catalog entity has them appended. */
function withUiLinks(links = [RUNBOOK, STATUS]): {
  view: ProjectView;
  entity: ReturnType<typeof paymentsEntity>;
} {
  const entity = paymentsEntity();
  entity.metadata.links = [
    ...(entity.metadata.links ?? []),
    ...links.map(l => ({
      url: l.url,
      title: l.title,
      ...('group' in l ? { type: String(l.group) } : {}),
    })),
  ];
  const view = projectViewOf(
    entity,
    { version: 2 },
    {
      links: {
        owner: 'ui',
        value: links,
        overlay: {
          value: links,
          updatedBy: 'user:default/ada',
          updatedAt: '2026-03-01T00:00:00Z',
          shadowed: false,
        },
      },
    },
  );
  return { view, entity };
}

const groupNamed = (name: string) => screen.getByRole('region', { name });

describe('QuickLinksCard', () => {
  it('shows a progress bar while loading', async () => {
    const dashApi = mockDashApi();
    dashApi.getLinks.mockReturnValue(new Promise(() => {}));
    await renderWithApis(<QuickLinksCard />, { dashApi });
    expect(await screen.findByRole('progressbar')).toBeInTheDocument();
  });

  it('groups generated, catalog and UI links, shows each once and only http(s)', async () => {
    const { view, entity } = withUiLinks();
    const { dashApi } = await renderWithApis(<QuickLinksCard />, {
      dashApi: dashWithLinks(),
      api: mockProjectCatalogApi(view),
      entity,
    });
    await screen.findByText('Payments overview');
    expect(dashApi.getLinks).toHaveBeenCalledWith({ entityRef: PAYMENTS });
    const titles = screen
      .getAllByRole('region')
      .map(r => r.getAttribute('aria-label'));
    expect(titles).toEqual([
      'PagerDuty',
      'Grafana',
      'Kibana',
      'GitHub',
      'Operate',
      'Links',
    ]);
    const actions = within(groupNamed('GitHub')).getByRole('link', {
      name: 'Actions',
    });
    expect(actions).toHaveAttribute(
      'href',
      'https://github.com/acme/payments-api/actions',
    );
    expect(actions).toHaveAttribute('target', '_blank');
    expect(actions).toHaveAttribute('rel', 'noopener noreferrer');
    expect(screen.queryByText('Evil')).not.toBeInTheDocument();
    // The YAML's Repository link is the generated one: shown once, under GitHub.
    expect(
      within(groupNamed('GitHub'))
        .getAllByRole('link')
        .map(a => a.textContent),
    ).toEqual(['Repository', 'Actions']);
    expect(
      within(groupNamed('Links'))
        .getAllByRole('link')
        .map(a => a.textContent),
    ).toEqual(['Status page']);
    expect(
      within(groupNamed('Operate')).getByRole('link', { name: 'Runbook' }),
    ).toHaveAttribute('href', RUNBOOK.url);
  });

  it('says so when there are no links', async () => {
    const entity = paymentsEntity({ links: [] });
    await renderWithApis(<QuickLinksCard />, {
      entity,
      api: mockProjectCatalogApi(projectViewOf(entity)),
    });
    expect(await screen.findByText(/No links yet/)).toBeInTheDocument();
  });

  it('keeps failures in the card and still shows what it has', async () => {
    const dashApi = mockDashApi();
    dashApi.getLinks.mockRejectedValue(new Error('DASH is down'));
    const api = mockProjectCatalogApi();
    api.getProject.mockRejectedValue(new Error('project-catalog is down'));
    await renderWithApis(<QuickLinksCard />, { dashApi, api });
    expect(
      await screen.findByText(
        /generated from the annotations are unavailable: DASH is down/,
      ),
    ).toBeInTheDocument();
    expect(
      screen.getByText(/added here are unavailable: project-catalog is down/),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('link', { name: 'Repository' }),
    ).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Edit links' })).toBeDisabled();
  });

  it('adds, reorders and removes UI links, refusing a javascript: URL, and saves with the version', async () => {
    const { view, entity } = withUiLinks();
    const api = mockProjectCatalogApi(view);
    api.updateProject.mockImplementation(async (_ref, req) => ({
      ...view,
      version: 3,
      fields: view.fields.map(f =>
        f.key === 'links'
          ? {
              ...f,
              value: req.set!.links,
              overlay: { ...f.overlay!, value: req.set!.links },
            }
          : f,
      ),
    }));
    await renderWithApis(<QuickLinksCard />, { api, entity });
    await userEvent.click(
      await screen.findByRole('button', { name: 'Edit links' }),
    );
    const dialog = await screen.findByRole('dialog');

    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Add link' }),
    );
    const third = within(dialog).getByRole('group', { name: 'Link 3' });
    await userEvent.type(within(third).getByLabelText(/Title/), 'Dashboard');
    await userEvent.type(within(third).getByLabelText(/URL/), SCRIPT_URL);
    await userEvent.click(within(dialog).getByRole('button', { name: 'Save' }));
    expect(
      await within(third).findByText('must be an http:// or https:// URL'),
    ).toBeInTheDocument();
    expect(api.updateProject).not.toHaveBeenCalled();

    await userEvent.clear(within(third).getByLabelText(/URL/));
    await userEvent.type(
      within(third).getByLabelText(/URL/),
      'https://grafana.acme.example/d/x',
    );
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Move link 3 up' }),
    );
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Remove link 1' }),
    );
    await userEvent.click(within(dialog).getByRole('button', { name: 'Save' }));

    await waitFor(() =>
      expect(screen.queryByRole('dialog')).not.toBeInTheDocument(),
    );
    expect(api.updateProject).toHaveBeenCalledWith(PAYMENTS, {
      version: 2,
      set: {
        links: [
          { title: 'Dashboard', url: 'https://grafana.acme.example/d/x' },
          { title: 'Status page', url: STATUS.url },
        ],
      },
      unset: [],
    });
    expect(
      await screen.findByRole('link', { name: 'Dashboard' }),
    ).toBeInTheDocument();
  });

  it('removes the UI links with unset when the last one goes', async () => {
    const { view, entity } = withUiLinks([RUNBOOK]);
    const api = mockProjectCatalogApi(view);
    api.updateProject.mockResolvedValue({ ...view, version: 3 });
    await renderWithApis(<QuickLinksCard />, { api, entity });
    await userEvent.click(
      await screen.findByRole('button', { name: 'Edit links' }),
    );
    const dialog = await screen.findByRole('dialog');
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Remove link 1' }),
    );
    await userEvent.click(within(dialog).getByRole('button', { name: 'Save' }));
    await waitFor(() =>
      expect(api.updateProject).toHaveBeenCalledWith(PAYMENTS, {
        version: 2,
        set: {},
        unset: ['links'],
      }),
    );
  });
});
