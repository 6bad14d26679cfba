export { TimelineToolbar } from './TimelineToolbar';
export type { TimelineToolbarProps } from './TimelineToolbar';
