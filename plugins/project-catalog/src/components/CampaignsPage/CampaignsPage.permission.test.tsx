import { screen, within } from '@testing-library/react';
import { Route, Routes } from 'react-router-dom';
import {
  CHECK_TYPES,
  campaign,
  entityStatus,
} from '../../__testUtils__/campaigns';
import {
  mockProjectCatalogApi,
  renderWithApis,
} from '../../__testUtils__/fixtures';
import { CampaignsContent } from './CampaignsPage';

// In a file of its own: usePermission caches answers per permission for the whole module.
describe('CampaignsPage: campaign management denied', () => {
  const api = () => {
    const a = mockProjectCatalogApi();
    a.listCampaigns.mockResolvedValue([campaign()]);
    a.getCampaign.mockResolvedValue(campaign());
    a.getCampaignCheckTypes.mockResolvedValue(CHECK_TYPES);
    a.getCampaignHistory.mockResolvedValue({ campaignId: 'x', points: [] });
    a.getCampaignEntities.mockResolvedValue({ items: [entityStatus()] });
    return a;
  };
  const render = (route: string) =>
    renderWithApis(
      <Routes>
        <Route
          path="/project-catalog/campaigns/*"
          element={<CampaignsContent />}
        />
      </Routes>,
      { api: api(), route, permission: 'DENY' },
    );

  it('lists the campaigns without a way to start one', async () => {
    await render('/project-catalog/campaigns');
    expect(
      await screen.findByRole('table', { name: 'Campaigns' }),
    ).toBeInTheDocument();
    await new Promise(r => setTimeout(r, 50));
    expect(
      screen.queryByRole('button', { name: 'New campaign' }),
    ).not.toBeInTheDocument();
  });

  it('shows a campaign without evaluating, editing or exempting', async () => {
    await render('/project-catalog/campaigns/pagerduty-service');
    const table = await screen.findByRole('table', { name: 'Entities' });
    await new Promise(r => setTimeout(r, 50));
    expect(within(table).getAllByRole('row')).toHaveLength(2);
    expect(
      within(table).queryByRole('button', { name: /Exempt/ }),
    ).not.toBeInTheDocument();
    expect(
      screen.queryByRole('button', { name: 'Evaluate now' }),
    ).not.toBeInTheDocument();
    expect(
      screen.queryByRole('button', { name: 'Edit' }),
    ).not.toBeInTheDocument();
  });
});
