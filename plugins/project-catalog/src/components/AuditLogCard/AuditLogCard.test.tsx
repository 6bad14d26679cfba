import {
  EntityProvider,
  entityRouteRef,
} from '@backstage/plugin-catalog-react';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { projectCatalogApiRef } from '../../api';
import {
  PAYMENTS,
  mockProjectCatalogApi,
  paymentsEntity,
  renderWithApis,
} from '../../__testUtils__/fixtures';
import { AuditLogCard } from './AuditLogCard';

const hoursAgo = (h: number) =>
  new Date(Date.now() - h * 3_600_000).toISOString();

describe('AuditLogCard', () => {
  it('shows a progress bar while loading', async () => {
    const api = mockProjectCatalogApi();
    api.getAudit.mockReturnValue(new Promise(() => {}));
    await renderWithApis(<AuditLogCard />, { api });
    expect(await screen.findByRole('progressbar')).toBeInTheDocument();
  });

  it('lists who changed which field from what to what, when, with refused ones marked', async () => {
    const api = mockProjectCatalogApi();
    api.getAudit.mockResolvedValue({
      entries: [
        {
          id: '3',
          time: hoursAgo(1),
          actor: 'user:default/ada',
          action: 'project.update',
          entityRef: PAYMENTS,
          field: 'tier',
          // A refused write records the request's whole `set`, and no before.
          after: { tier: '2' },
          outcome: 'refused',
          reason: 'tier is defined in file:components.yaml',
        },
        {
          id: '2',
          time: hoursAgo(3),
          actor: 'user:default/grace',
          action: 'project.update',
          entityRef: PAYMENTS,
          field: 'tags',
          before: ['go'],
          after: ['go', 'grpc'],
          outcome: 'succeeded',
        },
        {
          id: '1',
          time: hoursAgo(48),
          actor: 'user:default/grace',
          action: 'project.create',
          entityRef: PAYMENTS,
          outcome: 'succeeded',
        },
      ],
    });
    await renderWithApis(<AuditLogCard />, { api });
    const table = await screen.findByRole('table', { name: 'Recent changes' });
    expect(api.getAudit).toHaveBeenCalledWith({
      entityRef: PAYMENTS,
      limit: 10,
    });
    const rows = within(table).getAllByRole('row').slice(1);
    expect(rows).toHaveLength(3);
    expect(rows[0]).toHaveTextContent('1 hour ago');
    expect(within(rows[0]).getByRole('link')).toHaveTextContent('ada');
    expect(rows[0]).toHaveTextContent('Tier: 2 refused');
    expect(rows[0]).toHaveTextContent('refused');
    expect(rows[0]).toHaveTextContent(
      'tier is defined in file:components.yaml',
    );
    expect(rows[1]).toHaveTextContent('Tags: go → go, grpc');
    expect(rows[1]).not.toHaveTextContent('refused');
    expect(rows[2]).toHaveTextContent('Created the project');
    expect(rows[2]).toHaveTextContent('2 days ago');
  });

  it('says so when nothing was changed in the UI', async () => {
    await renderWithApis(<AuditLogCard />);
    expect(
      await screen.findByText('No changes made in the UI yet.'),
    ).toBeInTheDocument();
  });

  it('keeps an error in the card and retries', async () => {
    const api = mockProjectCatalogApi();
    api.getAudit.mockRejectedValueOnce(new Error('audit down'));
    await renderWithApis(<AuditLogCard />, { api });
    expect(
      await screen.findByText(/Could not load the audit log: audit down/),
    ).toBeInTheDocument();
    await userEvent.click(screen.getByRole('button', { name: 'Retry' }));
    expect(
      await screen.findByText('No changes made in the UI yet.'),
    ).toBeInTheDocument();
  });

  it('links to the audit page filtered on the entity', async () => {
    await renderWithApis(<AuditLogCard />);
    const link = await screen.findByRole('link', { name: /View all/ });
    expect(link).toHaveAttribute(
      'href',
      '/project-catalog/audit?entity=component%3Adefault%2Fpayments-api',
    );
    await userEvent.click(link);
    expect(screen.getByTestId('location')).toHaveTextContent(
      '/project-catalog/audit',
    );
    expect(
      new URLSearchParams(
        screen.getByTestId('location-search').textContent!,
      ).get('entity'),
    ).toBe(PAYMENTS);
  });

  it('works without the link when the app has not mounted the audit page', async () => {
    const api = mockProjectCatalogApi();
    api.getAudit.mockResolvedValue({
      entries: [
        {
          id: '1',
          time: hoursAgo(1),
          actor: 'user:default/ada',
          action: 'project.update',
          entityRef: PAYMENTS,
          field: 'tier',
          before: '1',
          after: '2',
          outcome: 'succeeded',
        },
      ],
    });
    // Only the entity pages are mounted: no route for the audit page.
    await renderInTestApp(
      <TestApiProvider apis={[[projectCatalogApiRef, api]]}>
        <EntityProvider entity={paymentsEntity()}>
          <AuditLogCard />
        </EntityProvider>
      </TestApiProvider>,
      { mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef } },
    );
    const table = await screen.findByRole('table', { name: 'Recent changes' });
    expect(table).toHaveTextContent('Tier: 1 → 2');
    expect(screen.queryByText('View all')).not.toBeInTheDocument();
  });
});
