import {
  CAMPAIGN_STATUSES,
  emptyCampaignCounts,
  isCampaignFinished,
} from './campaigns';
import { ProjectCatalogClient } from './client';

describe('campaign helpers', () => {
  it('counts every status from zero, and calls done and exempt finished', () => {
    const counts = emptyCampaignCounts();
    expect(Object.keys(counts).sort()).toEqual(
      [...CAMPAIGN_STATUSES, 'total'].sort(),
    );
    expect(isCampaignFinished('exempt')).toBe(true);
    expect(isCampaignFinished('in-progress')).toBe(false);
  });
});

describe('ProjectCatalogClient campaign methods', () => {
  it('calls the campaign routes', async () => {
    const calls: string[] = [];
    const client = new ProjectCatalogClient({
      discoveryApi: {
        getBaseUrl: async () => 'http://backend/api/project-catalog',
      },
      fetchApi: {
        fetch: (async (url: string, init: RequestInit) => {
          calls.push(
            `${init.method} ${url.replace(
              'http://backend/api/project-catalog',
              '',
            )}`,
          );
          return new Response(JSON.stringify({ items: [] }), { status: 200 });
        }) as typeof fetch,
      },
    });
    await client.listCampaigns();
    await client.getCampaignEntities('ci-node-22', {
      status: ['failing', 'error'],
      limit: 20,
    });
    await client.getCampaignHistory('ci-node-22', { byTeam: true });
    await client.setCampaignManualStatus('ci-node-22', 'web-storefront', {
      status: 'in-progress',
      note: 'PR #7',
    });
    await client.clearCampaignExemption(
      'ci-node-22',
      'component:default/web-storefront',
    );
    await client.deleteCampaign('ci-node-22', 3);
    await client.getEntityCampaigns('component:default/web-storefront');
    expect(calls).toEqual([
      'GET /campaigns',
      'GET /campaigns/ci-node-22/entities?status=failing%2Cerror&limit=20',
      'GET /campaigns/ci-node-22/history?byTeam=true',
      'PUT /campaigns/ci-node-22/entities/component/default/web-storefront/manual',
      'DELETE /campaigns/ci-node-22/entities/component/default/web-storefront/exemption',
      'DELETE /campaigns/ci-node-22?version=3',
      'GET /projects/component/default/web-storefront/campaigns',
    ]);
  });
});
