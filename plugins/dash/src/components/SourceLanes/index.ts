export { SourceLanes, MAX_MARKERS_PER_LANE } from './SourceLanes';
export type { SourceLanesProps, LaneSource } from './SourceLanes';
