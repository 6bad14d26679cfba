export { ProjectEditDialog } from './ProjectEditDialog';
export type { ProjectEditDialogProps } from './ProjectEditDialog';
