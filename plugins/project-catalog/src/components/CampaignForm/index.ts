export { CampaignFormDialog } from './CampaignFormDialog';
export type { CampaignFormDialogProps } from './CampaignFormDialog';
