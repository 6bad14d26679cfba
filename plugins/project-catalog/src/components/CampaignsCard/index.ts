export { CampaignsCard } from './CampaignsCard';
export type { CampaignsCardProps } from './CampaignsCard';
export { ManualStatusDialog, manualStatusesFor } from './ManualStatusDialog';
export type { ManualStatusDialogProps } from './ManualStatusDialog';
