import { screen, within } from '@testing-library/react';
import { entityCampaign } from '../../__testUtils__/campaigns';
import {
  mockProjectCatalogApi,
  renderWithApis,
} from '../../__testUtils__/fixtures';
import { CampaignsCard } from './CampaignsCard';

// In a file of its own: usePermission caches answers per permission for the whole module.
describe('CampaignsCard: permission denied', () => {
  it('shows the campaigns but no way to set a status to users who are neither owners nor managers', async () => {
    const api = mockProjectCatalogApi();
    api.getEntityCampaigns.mockResolvedValue([entityCampaign()]);
    await renderWithApis(<CampaignsCard />, { api, permission: 'DENY' });
    const item = await screen.findByRole('region', {
      name: 'Every service declares its PagerDuty service',
    });
    expect(within(item).getByLabelText('Status: Failing')).toBeInTheDocument();
    // Wait until both permission answers are in; the button never appears.
    await new Promise(r => setTimeout(r, 50));
    expect(
      within(item).queryByRole('button', { name: /status for/ }),
    ).not.toBeInTheDocument();
  });
});
