/**
 * The DASH backend plugin.
 *
 * @packageDocumentation
 */
export { dashPlugin as default } from './plugin';
export { correlate, isChangeEvent } from './services/Correlator/Correlator';
export type {
  CorrelatorInput,
  CorrelatorOptions,
} from './services/Correlator/Correlator';
