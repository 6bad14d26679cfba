/**
 * DASH source module for Kibana and Elasticsearch.
 *
 * @packageDocumentation
 */
export { dashModuleKibana as default } from './module';
export { KibanaSource } from './KibanaSource';
export type { KibanaSourceOptions } from './KibanaSource';
export { readKibanaSourceSettings, DEFAULT_SPIKE_RULE } from './config';
export type { KibanaSourceSettings, SpikeRule } from './config';
export { indexPatternProblem } from './annotations';
export { chooseInterval, detectSpikes } from './spikes';
export type { Bucket, Spike } from './spikes';
export { discoverUrl, risonString } from './discover';
