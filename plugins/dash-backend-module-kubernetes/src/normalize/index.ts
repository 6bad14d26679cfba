export * from './snapshot';
export { rolloutEvents, revisionsOf } from './rollouts';
export type { RolloutStatus, Revision } from './rollouts';
export { podTroubleEvents, eventReason, workloadResolver } from './podTrouble';
export type { TroubleOptions, TroubleReason } from './podTrouble';
