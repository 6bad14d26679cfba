/**
 * Search module of DASH: recent incidents, deploys and change events in Backstage search.
 *
 * @packageDocumentation
 */
export { searchModuleDashCollator as default } from './module';
export {
  DashCollatorFactory,
  type DashCollatorFactoryOptions,
} from './DashCollatorFactory';
export { dashDocument, type DashSearchDocument } from './dashDocument';
