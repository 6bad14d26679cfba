export { CampaignsContent, CampaignsPage } from './CampaignsPage';
export { CampaignList } from './CampaignList';
export { CampaignDetail } from './CampaignDetail';
export type { CampaignDetailProps } from './CampaignDetail';
