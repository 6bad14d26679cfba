/** PagerDuty answers as DASH events and on-call entries, one file per kind. */
export { SOURCE_ID } from './common';
export {
  TIMELINE_LOG_ENTRY_TYPES,
  incidentEvent,
  incidentSeverity,
  logEntryEvent,
} from './incidents';
export { changeEvent } from './changeEvents';
export { handoffEvents, onCallEntries } from './onCall';
