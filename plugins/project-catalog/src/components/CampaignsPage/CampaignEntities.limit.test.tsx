import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { entityStatus } from '../../__testUtils__/campaigns';
import {
  mockProjectCatalogApi,
  renderWithApis,
} from '../../__testUtils__/fixtures';
import { CampaignEntities } from './CampaignEntities';

// A small limit, so that reaching it takes a few rows, not hundreds.
jest.mock('./entityQuery', () => ({
  ...jest.requireActual('./entityQuery'),
  MAX_ENTITY_ROWS: 3,
}));

describe('CampaignEntities: a bounded list', () => {
  it('stops loading more at the limit and asks to narrow the filters', async () => {
    const api = mockProjectCatalogApi();
    const row = (name: string) =>
      entityStatus({ entityRef: `component:default/${name}` });
    api.getCampaignEntities
      .mockResolvedValueOnce({ items: [row('a'), row('b')], nextCursor: 'Yg' })
      .mockResolvedValueOnce({ items: [row('c'), row('d')], nextCursor: 'ZA' });
    await renderWithApis(
      <CampaignEntities
        campaignId="pagerduty-service"
        filters={{ status: [], owner: '' }}
        onFiltersChange={jest.fn()}
        canExempt={false}
        reloadKey={0}
        onEntityChange={jest.fn()}
      />,
      { api },
    );
    await userEvent.click(
      await screen.findByRole('button', { name: 'Load more' }),
    );
    expect(
      await screen.findByText(
        '3 shown: the list stops at 3; narrow it with the status and owner filters',
      ),
    ).toBeInTheDocument();
    expect(
      screen.queryByRole('button', { name: 'Load more' }),
    ).not.toBeInTheDocument();
    await waitFor(() =>
      expect(
        within(screen.getByRole('table', { name: 'Entities' })).getAllByRole(
          'row',
        ),
      ).toHaveLength(4),
    );
    expect(api.getCampaignEntities).toHaveBeenCalledTimes(2);
    expect(api.getCampaignEntities).toHaveBeenLastCalledWith(
      'pagerduty-service',
      { cursor: 'Yg', limit: 50 },
    );
  });
});
