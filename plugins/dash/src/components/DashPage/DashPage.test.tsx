import { Entity } from '@backstage/catalog-model';
import { identityApiRef } from '@backstage/core-plugin-api';
import { catalogApiRef } from '@backstage/plugin-catalog-react';
import { catalogApiMock } from '@backstage/plugin-catalog-react/testUtils';
import { mockApis, TestApiProvider } from '@backstage/test-utils';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import {
  WINDOW_QUERY,
  currentParams,
  mockDashApi,
  renderWithApis,
  timelineResponse,
} from '../../__testUtils__/fixtures';
import { DashPage, DashPageContent } from './DashPage';

function component(
  name: string,
  owner: string,
  relations: { type: string; targetRef: string }[] = [],
): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name, namespace: 'default' },
    spec: { type: 'service', owner },
    relations: [{ type: 'ownedBy', targetRef: owner }, ...relations],
  };
}

const entities = [
  component('payments-api', 'group:default/team-payments', [
    { type: 'dependsOn', targetRef: 'component:default/ledger' },
    { type: 'dependsOn', targetRef: 'resource:default/payments-db' },
    { type: 'dependencyOf', targetRef: 'component:default/checkout' },
  ]),
  component('refunds', 'group:default/team-payments', [
    { type: 'dependsOn', targetRef: 'component:default/payments-api' },
  ]),
  component('ledger', 'group:default/team-finance', [
    { type: 'dependencyOf', targetRef: 'component:default/payments-api' },
  ]),
  component('checkout', 'group:default/team-shop', [
    { type: 'dependsOn', targetRef: 'component:default/payments-api' },
  ]),
  component('search', 'group:default/team-shop'),
];

function renderPage(route: string, element = <DashPageContent />) {
  const api = mockDashApi(
    timelineResponse({ events: [], correlations: [], relatedEvents: [] }),
  );
  return renderWithApis(
    <TestApiProvider
      apis={[
        [catalogApiRef, catalogApiMock({ entities })],
        [
          identityApiRef,
          mockApis.identity({
            userEntityRef: 'user:default/ada',
            ownershipEntityRefs: [
              'user:default/ada',
              'group:default/team-payments',
            ],
          }),
        ],
      ]}
    >
      {element}
    </TestApiProvider>,
    { api, route },
  );
}

describe('DashPage', () => {
  it('offers the services the user’s teams own, with their upstreams and downstreams', async () => {
    await renderPage('/dash');
    const owned = await screen.findByRole('group', {
      name: 'Your teams’ services',
    });
    await within(owned).findByRole('checkbox', { name: 'payments-api' });
    expect(
      within(owned)
        .getAllByRole('checkbox')
        .map(c => c.closest('label')!.textContent),
    ).toEqual(['payments-api', 'refunds']);
    const upstreams = screen.getByRole('group', { name: 'Upstreams' });
    await within(upstreams).findByRole('checkbox', { name: 'ledger' });
    expect(
      within(upstreams).getByRole('checkbox', {
        name: 'resource:payments-db',
      }),
    ).toBeInTheDocument();
    const downstreams = screen.getByRole('group', { name: 'Downstreams' });
    expect(
      within(downstreams).getByRole('checkbox', { name: 'checkout' }),
    ).toBeInTheDocument();
    expect(
      screen.getByText(
        'Pick one or more services above to see their events on one timeline.',
      ),
    ).toBeInTheDocument();
  });

  it('puts the picked services in the URL and shows one merged timeline', async () => {
    const { api } = await renderPage(`/dash?${WINDOW_QUERY}`);
    const owned = await screen.findByRole('group', {
      name: 'Your teams’ services',
    });
    await userEvent.click(
      await within(owned).findByRole('checkbox', { name: 'payments-api' }),
    );
    expect(currentParams().getAll('entity')).toEqual([
      'component:default/payments-api',
    ]);
    // Upstreams and downstreams now follow the pick.
    const downstreams = screen.getByRole('group', { name: 'Downstreams' });
    await userEvent.click(
      await within(downstreams).findByRole('checkbox', { name: 'checkout' }),
    );
    expect(currentParams().getAll('entity')).toEqual([
      'component:default/payments-api',
      'component:default/checkout',
    ]);
    await waitFor(() =>
      expect(api.getTimeline).toHaveBeenLastCalledWith(
        expect.objectContaining({
          entityRefs: [
            'component:default/payments-api',
            'component:default/checkout',
          ],
        }),
      ),
    );
    expect(currentParams().get('from')).toBe('2026-03-03T00:00:00Z');
    // Removing a service from the chips.
    const services = screen.getByRole('region', { name: 'Services' });
    const chip = within(services)
      .getByText('checkout')
      .closest('.MuiChip-root')!;
    await userEvent.click(chip.querySelector('svg')!);
    expect(currentParams().getAll('entity')).toEqual([
      'component:default/payments-api',
    ]);
  });

  it('opens the services of a link, adds a group at once and finds others by name', async () => {
    await renderPage(
      `/dash?${WINDOW_QUERY}&entity=component:default/payments-api&event=x`,
    );
    const owned = await screen.findByRole('group', {
      name: 'Your teams’ services',
    });
    expect(
      await within(owned).findByRole('checkbox', { name: 'payments-api' }),
    ).toBeChecked();
    const upstreams = screen.getByRole('group', { name: 'Upstreams' });
    await within(upstreams).findByRole('checkbox', { name: 'ledger' });
    await userEvent.click(
      within(upstreams).getByRole('button', { name: 'Add all' }),
    );
    expect(currentParams().getAll('entity')).toEqual([
      'component:default/payments-api',
      'component:default/ledger',
      'resource:default/payments-db',
    ]);
    // A new set of services drops the selected event of the old one.
    expect(currentParams().get('event')).toBeNull();

    await userEvent.type(
      screen.getByRole('textbox', { name: 'Add a service' }),
      'sear',
    );
    await userEvent.click(
      await screen.findByRole('option', { name: 'search' }),
    );
    expect(currentParams().getAll('entity')).toContain(
      'component:default/search',
    );
  });

  it('has a header of its own in the legacy app', async () => {
    await renderPage('/dash', <DashPage />);
    expect(
      await screen.findByRole('heading', { name: 'DASH' }),
    ).toBeInTheDocument();
  });
});
