/*
 * @dash-suite/upstream-sandbox: simulated PagerDuty, GitHub, Grafana, Kibana and Elasticsearch
 * on loopback, with seeded scenarios and fault injection.
 */
export { startSandbox, defaultToken, DEFAULT_STEP_MS } from './sandbox';
export { useTestSandbox } from './useTestSandbox';
export { parseFaultSpec, parseFaultFlag } from './faults';
export { UPSTREAM_NAMES } from './types';
export { serviceEntity } from './scenario/catalog';
export type { ServiceEntity } from './scenario/catalog';
export type {
  UpstreamName,
  FaultSpec,
  SandboxOptions,
  RequestLogEntry,
  Sandbox,
  Scenario,
  ScenarioService,
  Story,
  StoryChange,
  StoryDecoy,
  StoryIncident,
  StoryStep,
  LiveReplay,
  ScenarioGitHub,
  ScenarioGitHubTeam,
  ScenarioRepo,
  ScenarioRepoTeam,
  ScenarioPagerDuty,
  ScenarioPagerDutyService,
} from './types';
