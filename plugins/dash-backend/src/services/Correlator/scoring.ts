/*
 * The factors a suspect's score is multiplied by in the correlator. The README of this folder
 * explains each with an example.
 */

export const KIND_WEIGHT: Record<string, number> = {
  deploy: 1,
  change: 0.9,
  release: 0.6,
  'pull-request': 0.5,
  annotation: 0.5,
};
export const CHANGE_TYPE_WEIGHT: Record<string, number> = {
  deploy: 1,
  config: 0.95,
  'feature-flag': 0.9,
  infrastructure: 0.9,
  rollback: 0.4,
  other: 0.6,
};
/** A change on a dependency with no trouble of its own after it: by hops away. */
export const DEPTH_WEIGHT = [1, 0.5, 0.35];
/** A change on a dependency that went bad after it: the trail makes distance matter little. */
export const DEPTH_WEIGHT_WITH_EVIDENCE = [1, 0.9, 0.8];
/** The dependency's own trouble began after its change and before (or with) the problem. */
export const EVIDENCE_WEIGHT = 2.5;
/** Proximity to a dependency's own trouble decays this many times slower. */
export const TRAIL_TIME_FACTOR = 4;
/** A dependency went bad before the problem began (but after this change on the service). */
export const DEPENDENCY_FIRST = 0.6;
/** Not production (staging, canary-test...): alone, never plausible. */
export const NON_PRODUCTION = 0.1;
/** The trouble was already there before the change. */
export const EVIDENCE_AGAINST = 0.4;
/** Undoing the change was followed by recovery. */
export const RECOVERY_WEIGHT = 3;
/** Undoing the change was not followed by recovery. */
export const UNDONE_WITHOUT_RECOVERY = 0.3;
/** The most a change's score can be raised by evidence: what makes weighing it worthwhile. */
export const MAX_BOOST = EVIDENCE_WEIGHT * RECOVERY_WEIGHT;
export const PRODUCTION = /^(prod|production|live|prd)([-_].*)?$/i;
