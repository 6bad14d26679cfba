/**
 * DASH source module for GitHub.
 *
 * @packageDocumentation
 */
export { dashModuleGithub as default } from './module';
export { GithubSource } from './GithubSource';
export type { GithubSourceOptions } from './GithubSource';
export { rateLimitWaitMs } from './errors';
export type { GithubTarget } from './target';
export { readGithubSourceSettings } from './config';
export type { GithubSourceSettings } from './config';
export { parseProjectSlug } from './target';
export { rollbackReason } from './normalize';
