export { EventList, EVENT_ROW_HEIGHT } from './EventList';
export type {
  EventListProps,
  EventListHandle,
  CandidateMark,
} from './EventList';
