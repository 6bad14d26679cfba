import { Entity } from '@backstage/catalog-model';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import {
  mockProjectCatalogApi,
  projectViewOf,
  renderWithApis,
  responseError,
} from '../../__testUtils__/fixtures';
import { CreateProjectPage } from './CreateProjectPage';

const SCRIPT_URL = ['javascript', 'alert(1)'].join(':');
/** Types a whole value at once (one paste), which keeps these long forms fast. */
async function fill(element: HTMLElement, text: string) {
  await userEvent.click(element);
  await userEvent.paste(text);
}

const input = (label: RegExp) =>
  screen.getByLabelText(label, { selector: 'input,textarea' });

const TEAM = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Group',
  metadata: { name: 'team-payments', namespace: 'default' },
  spec: { type: 'team', children: [] },
};

const FRAUD_SCORER: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'fraud-scorer', namespace: 'default' },
  spec: { type: 'service' },
};

async function renderPage(
  api = mockProjectCatalogApi(),
  catalogEntities: Entity[] = [TEAM],
) {
  const result = await renderWithApis(<CreateProjectPage />, {
    api,
    catalogEntities,
    route: '/project-catalog/create',
  });
  await screen.findByRole('form', { name: 'Create project' });
  return result;
}

describe('CreateProjectPage', () => {
  it('checks names with the catalog rules and fields with the shared schemas before sending', async () => {
    const { api } = await renderPage();
    await fill(input(/^Name/), 'Bad Name!');
    await fill(input(/^Tags/), 'ok, Not_A_Tag');
    await userEvent.click(screen.getByRole('button', { name: 'Add link' }));
    const link = screen.getByRole('group', { name: 'Link 1' });
    await fill(within(link).getByLabelText(/Title/), 'Runbook');
    await fill(within(link).getByLabelText(/URL/), SCRIPT_URL);
    await userEvent.click(
      screen.getByRole('button', { name: 'Create project' }),
    );

    expect(
      await screen.findByText(/a catalog entity name/),
    ).toBeInTheDocument();
    expect(
      screen.getByText(/"Not_A_Tag" must be lower-case letters/),
    ).toBeInTheDocument();
    expect(
      within(link).getByText('must be an http:// or https:// URL'),
    ).toBeInTheDocument();
    expect(screen.getByText('is required')).toBeInTheDocument(); // the owner
    expect(api.createProject).not.toHaveBeenCalled();
  });

  it('creates the project and opens its entity page once the catalog has it', async () => {
    const api = mockProjectCatalogApi();
    api.createProject.mockResolvedValue(
      projectViewOf(
        {
          apiVersion: 'backstage.io/v1alpha1',
          kind: 'Component',
          metadata: { name: 'fraud-scorer' },
        },
        {
          entityRef: 'component:default/fraud-scorer',
          origin: 'ui',
          version: 1,
        },
      ),
    );
    await renderPage(api, [TEAM, FRAUD_SCORER]);
    await fill(input(/^Name/), 'fraud-scorer');
    await fill(input(/^Title/), 'Fraud scorer');
    await userEvent.click(input(/^Owner/));
    await userEvent.click(
      await screen.findByRole('option', {
        name: 'group:default/team-payments',
      }),
    );
    await userEvent.clear(input(/^Lifecycle/));
    await fill(input(/^Lifecycle/), 'production');
    await fill(input(/^Tier/), '2');
    await fill(input(/^Tags/), 'python, ml');
    await fill(input(/^GitHub repository/), 'acme/fraud-scorer');
    await fill(input(/^PagerDuty service ID/), 'PFRAUD1');
    await userEvent.click(screen.getByRole('button', { name: 'Add link' }));
    const link = screen.getByRole('group', { name: 'Link 1' });
    await fill(within(link).getByLabelText(/Title/), 'Runbook');
    await fill(
      within(link).getByLabelText(/URL/),
      'https://runbooks.acme.example/fraud',
    );
    await fill(within(link).getByLabelText(/Group/), 'Operate');
    await userEvent.click(
      screen.getByRole('button', { name: 'Create project' }),
    );

    await waitFor(() =>
      expect(screen.getByTestId('location')).toHaveTextContent(
        '/catalog/default/component/fraud-scorer',
      ),
    );
    expect(api.createProject).toHaveBeenCalledWith({
      name: 'fraud-scorer',
      title: 'Fraud scorer',
      type: 'service',
      owner: 'group:default/team-payments',
      lifecycle: 'production',
      tier: '2',
      tags: ['python', 'ml'],
      links: [
        {
          title: 'Runbook',
          url: 'https://runbooks.acme.example/fraud',
          group: 'Operate',
        },
      ],
      annotations: {
        'github.com/project-slug': 'acme/fraud-scorer',
        'pagerduty.com/service-id': 'PFRAUD1',
      },
    });
  });

  it('shows a progress bar until the catalog has the new project', async () => {
    const api = mockProjectCatalogApi();
    api.createProject.mockResolvedValue(
      projectViewOf(FRAUD_SCORER, {
        entityRef: 'component:default/fraud-scorer',
        origin: 'ui',
        version: 1,
      }),
    );
    // The catalog does not have it (yet): the form says what it waits for and stays put.
    await renderPage(api, [TEAM]);
    await fill(input(/^Name/), 'fraud-scorer');
    await userEvent.click(input(/^Owner/));
    await userEvent.click(
      await screen.findByRole('option', {
        name: 'group:default/team-payments',
      }),
    );
    await userEvent.click(
      screen.getByRole('button', { name: 'Create project' }),
    );
    expect(
      await screen.findByRole('status', {
        name: 'Adding the project to the catalog',
      }),
    ).toHaveTextContent('Created component:default/fraud-scorer');
    expect(screen.getByTestId('location')).toHaveTextContent(
      '/project-catalog/create',
    );
  });

  it("shows the backend's message on the name field when the name is taken", async () => {
    const api = mockProjectCatalogApi();
    const message =
      'component:default/payments-api already exists in the catalog (defined in file:components.yaml); choose another name';
    api.createProject.mockRejectedValue(
      await responseError(409, {
        error: { name: 'ConflictError', message },
        response: { statusCode: 409 },
      }),
    );
    await renderPage(api);
    await fill(input(/^Name/), 'payments-api');
    await fill(input(/^Owner/), 'team-payments');
    await userEvent.click(
      screen.getByRole('button', { name: 'Create project' }),
    );
    expect(await screen.findByText(message)).toBeInTheDocument();
    expect(input(/^Name/)).toHaveAttribute('aria-invalid', 'true');
    expect(screen.getByTestId('location')).toHaveTextContent(
      '/project-catalog/create',
    );
  });

  it('shows other failures above the form', async () => {
    const api = mockProjectCatalogApi();
    api.createProject.mockRejectedValue(
      await responseError(400, {
        error: {
          name: 'InputError',
          message: 'owner: must be an entity reference such as group:name',
        },
        response: { statusCode: 400 },
      }),
    );
    await renderPage(api);
    await fill(input(/^Name/), 'fraud-scorer');
    await fill(input(/^Owner/), 'team-payments');
    await userEvent.click(
      screen.getByRole('button', { name: 'Create project' }),
    );
    expect(await screen.findByRole('alert')).toHaveTextContent(
      'owner: must be an entity reference',
    );
  });
});
