/**
 * DASH source module for GitHub.
 *
 * @packageDocumentation
 */
export { dashModuleGithub as default } from './module';
export { GithubSource, rateLimitWaitMs } from './GithubSource';
export type { GithubSourceOptions, GithubTarget } from './GithubSource';
export { readGithubSourceSettings } from './config';
export type { GithubSourceSettings } from './config';
export { parseProjectSlug } from './target';
export { rollbackReason } from './normalize';
