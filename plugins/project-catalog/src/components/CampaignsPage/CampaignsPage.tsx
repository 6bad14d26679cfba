import { Content, Header, Page } from '@backstage/core-components';
import { Route, Routes } from 'react-router-dom';
import { CampaignDetailRoute } from './CampaignDetail';
import { CampaignList } from './CampaignList';

/**
 * The campaigns pages without the page frame (the new frontend system's page provides it):
 * every campaign at the index, one campaign at `/:id`.
 */
export const CampaignsContent = () => (
  <Routes>
    <Route path="/" element={<CampaignList />} />
    <Route path="/:id" element={<CampaignDetailRoute />} />
  </Routes>
);

/** Migration campaigns: every campaign, and each one's burn-up and entities. */
export const CampaignsPage = () => (
  <Page themeId="tool">
    <Header
      title="Project Catalog"
      subtitle="Migration campaigns: changes tracked across the catalog, entity by entity"
    />
    <Content>
      <CampaignsContent />
    </Content>
  </Page>
);
