export { DashTimeline } from './DashTimeline';
export type { DashTimelineProps } from './DashTimeline';
