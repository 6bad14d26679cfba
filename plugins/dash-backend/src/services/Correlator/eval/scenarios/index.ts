import { EvalScenario } from '../types';
import { dependencyScenarios } from './dependency';
import { heldOutScenarios } from './heldOut';
import { invariantScenarios } from './invariants';
import { nothingScenarios } from './nothing';
import { onsetScenarios } from './onset';
import { rollbackScenarios } from './rollback';
import { shippedScenarios } from './shipped';
import { slowBurnScenarios } from './slowBurn';

/** Every scenario of the evaluation set, grouped by what it tests. */
export const scenarioGroups: Record<string, EvalScenario[]> = {
  onset: onsetScenarios,
  dependency: dependencyScenarios,
  rollback: rollbackScenarios,
  'slow burn': slowBurnScenarios,
  shipped: shippedScenarios,
  invariants: invariantScenarios,
  'nothing plausible': nothingScenarios,
  'held out': heldOutScenarios,
};

export const scenarios: EvalScenario[] = Object.values(scenarioGroups).flat();
