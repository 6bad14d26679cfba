/*
 * The factors a suspect's score is multiplied by in the correlator.
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
export const DEPTH_WEIGHT = [1, 0.8, 0.6];
export const PRODUCTION = /^(prod|production|live|prd)([-_].*)?$/i;
