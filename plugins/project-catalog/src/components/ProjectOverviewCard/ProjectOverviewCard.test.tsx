import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import {
  PAYMENTS,
  YAML_FILE,
  mockProjectCatalogApi,
  paymentsEntity,
  projectViewOf,
  renderWithApis,
} from '../../__testUtils__/fixtures';
import { ProjectOverviewCard } from './ProjectOverviewCard';

const bare = () => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'payments-api', namespace: 'default' },
  spec: {},
});

describe('ProjectOverviewCard', () => {
  it('shows a progress bar while the project loads', async () => {
    const api = mockProjectCatalogApi();
    api.getProject.mockReturnValue(new Promise(() => {}));
    await renderWithApis(<ProjectOverviewCard />, { api });
    expect(await screen.findByRole('progressbar')).toBeInTheDocument();
  });

  it('shows type, lifecycle, tier, owner, system, repository, language and tags', async () => {
    const { api } = await renderWithApis(<ProjectOverviewCard />);
    expect(await screen.findByText('service')).toBeInTheDocument();
    expect(api.getProject).toHaveBeenCalledWith(PAYMENTS);
    expect(screen.getByTestId('type-icon-service')).toBeInTheDocument();
    expect(screen.getByLabelText('Lifecycle')).toHaveTextContent('production');
    expect(screen.getByLabelText('Tier')).toHaveTextContent('1');
    expect(
      within(screen.getByLabelText('Owner')).getByRole('link'),
    ).toHaveTextContent('team-payments');
    expect(
      within(screen.getByLabelText('System')).getByRole('link'),
    ).toHaveTextContent('payments');
    expect(
      screen.getByRole('link', { name: /acme\/payments-api/ }),
    ).toHaveAttribute('href', 'https://github.com/acme/payments-api');
    expect(screen.getByLabelText('Language')).toHaveTextContent('Go');
    for (const tag of ['go', 'grpc', 'pci']) {
      expect(screen.getByText(tag)).toBeInTheDocument();
    }
    expect(screen.getByText(/authorises and captures/)).toBeInTheDocument();
  });

  it('shows the backend values, which include a save the catalog has not caught up with', async () => {
    const api = mockProjectCatalogApi(
      projectViewOf(
        paymentsEntity(),
        {
          version: 3,
          updatedBy: 'user:default/ada',
          updatedAt: '2026-03-03T10:00:00Z',
        },
        { tier: { owner: 'ui', value: '2' } },
      ),
    );
    await renderWithApis(<ProjectOverviewCard />, { api });
    expect(await screen.findByLabelText('Tier')).toHaveTextContent('2');
    expect(
      screen.getByText(/Last edited here by user:default\/ada/),
    ).toBeInTheDocument();
  });

  it('says so when the project has no metadata yet', async () => {
    const entity = bare();
    const api = mockProjectCatalogApi(projectViewOf(entity));
    await renderWithApis(<ProjectOverviewCard />, { api, entity });
    expect(
      await screen.findByText(/No project metadata yet/),
    ).toBeInTheDocument();
    expect(
      screen.getByText(/Add the type, owner and more with Edit/),
    ).toBeInTheDocument();
  });

  it('keeps an error in the card, shows the catalog values, and retries', async () => {
    const api = mockProjectCatalogApi();
    api.getProject.mockRejectedValueOnce(new Error('backend down'));
    await renderWithApis(<ProjectOverviewCard />, { api });
    expect(await screen.findByText(/backend down/)).toBeInTheDocument();
    expect(screen.getByLabelText('Tier')).toHaveTextContent('1');
    expect(screen.getByRole('button', { name: 'Edit project' })).toBeDisabled();
    await userEvent.click(screen.getByRole('button', { name: 'Retry' }));
    await waitFor(() =>
      expect(screen.queryByText(/backend down/)).not.toBeInTheDocument(),
    );
    expect(api.getProject).toHaveBeenCalledTimes(2);
    expect(screen.getByRole('button', { name: 'Edit project' })).toBeEnabled();
  });

  it('reports a shadowed UI edit', async () => {
    const api = mockProjectCatalogApi(
      projectViewOf(
        paymentsEntity(),
        {},
        {
          tier: {
            owner: 'yaml',
            value: '1',
            definedIn: YAML_FILE,
            overlay: {
              value: '3',
              updatedBy: 'user:default/ada',
              updatedAt: '2026-03-01T00:00:00Z',
              shadowed: true,
            },
          },
        },
      ),
    );
    await renderWithApis(<ProjectOverviewCard />, { api });
    expect(
      await screen.findByText(/The YAML now defines tier/),
    ).toBeInTheDocument();
  });

  it('downloads the project as catalog-info.yaml', async () => {
    const createObjectURL = jest.fn(() => 'blob:yaml');
    const revokeObjectURL = jest.fn();
    Object.assign(URL, { createObjectURL, revokeObjectURL });
    const click = jest
      .spyOn(HTMLAnchorElement.prototype, 'click')
      .mockImplementation(function checkDownload(this: HTMLAnchorElement) {
        expect(this.download).toBe('catalog-info.yaml');
        expect(this.href).toBe('blob:yaml');
      });
    const { api } = await renderWithApis(<ProjectOverviewCard />);
    await userEvent.click(
      await screen.findByRole('button', { name: 'Export as YAML' }),
    );
    await waitFor(() => expect(click).toHaveBeenCalled());
    expect(api.exportYaml).toHaveBeenCalledWith(PAYMENTS);
    expect(revokeObjectURL).toHaveBeenCalledWith('blob:yaml');
    click.mockRestore();
  });

  it('shows a failed export in the card', async () => {
    const api = mockProjectCatalogApi();
    api.exportYaml.mockRejectedValue(new Error('no export'));
    await renderWithApis(<ProjectOverviewCard />, { api });
    await userEvent.click(
      await screen.findByRole('button', { name: 'Export as YAML' }),
    );
    expect(
      await screen.findByText('Export failed: no export'),
    ).toBeInTheDocument();
  });

  it('opens the edit dialog and shows the saved values', async () => {
    const view = projectViewOf(
      paymentsEntity(),
      {},
      { system: { owner: 'unset', value: undefined } },
    );
    const api = mockProjectCatalogApi(view);
    api.updateProject.mockResolvedValue({
      ...view,
      version: 1,
      fields: view.fields.map(f =>
        f.key === 'system'
          ? { key: 'system', owner: 'ui', value: 'system:default/checkout' }
          : f,
      ),
    });
    await renderWithApis(<ProjectOverviewCard />, { api });
    await userEvent.click(
      await screen.findByRole('button', { name: 'Edit project' }),
    );
    const dialog = await screen.findByRole('dialog');
    await userEvent.type(within(dialog).getByLabelText('System'), 'checkout');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Save' }));
    await waitFor(() =>
      expect(screen.queryByRole('dialog')).not.toBeInTheDocument(),
    );
    expect(api.updateProject).toHaveBeenCalledWith(PAYMENTS, {
      version: 0,
      set: { system: 'checkout' },
      unset: [],
    });
    expect(
      within(screen.getByLabelText('System')).getByRole('link'),
    ).toHaveTextContent('checkout');
  });
});
