/**
 * DASH source module for Slack: pinned and flagged messages of a service's channels and of the
 * incident channels of its PagerDuty incidents.
 *
 * @packageDocumentation
 */
export { dashModuleSlack as default } from './module';
export { SlackSource } from './SlackSource';
export { readSlackSettings } from './config';
export type { SlackSettings } from './config';
export { plainText } from './text';
