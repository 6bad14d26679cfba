/**
 * DASH source module for PagerDuty: incidents and their log entries, change events, on-call
 * hand-offs and who is on call now.
 *
 * @packageDocumentation
 */
export { dashModulePagerDuty as default } from './module';
export { PagerDutySource } from './PagerDutySource';
export { readPagerDutySettings } from './config';
export type { PagerDutySettings, PagerDutyAccount } from './config';
