export { CardEmpty, CardError, CardLoading, NoDashApi } from './CardMessages';
export { SourceNotes, describeSource, hasData, isHealthy } from './SourceNotes';
export {
  formatAge,
  formatFullTime,
  formatRelative,
  formatTime,
  textAttribute,
} from './format';
export { useDashApi } from './useDashApi';
export { fetchWithinLimit, windowLimitDays } from './windowLimit';
export type { WithinLimit } from './windowLimit';
