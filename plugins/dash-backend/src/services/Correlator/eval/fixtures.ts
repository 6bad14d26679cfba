import { Entity } from '@backstage/catalog-model';
import { JsonValue } from '@backstage/types';
import {
  DashChangeEventInput,
  DashEvent,
  DashEventKind,
  DashSeverity,
} from '@dash-suite/plugin-dash-common';
import { testComponent } from '@dash-suite/plugin-dash-node/testUtils';
import { EvalEvent, EvalScenario } from './types';

/*
 * A scenario as the backend sees it: catalog entities, the events each source serves, and the
 * changes posted to POST /api/dash/changes. Times are anchored at the page.
 */

const MINUTE_MS = 60_000;

/** The sources the harness installs; each serves the events whose `source` it is. */
export const SOURCE_IDS = ['github', 'pagerduty', 'grafana', 'kibana'] as const;
export type SourceId = (typeof SOURCE_IDS)[number];

/** The annotation each installed source looks for (as FakeSource does). */
export const sourceAnnotation = (id: SourceId) => `test/${id}`;

const DEFAULT_SOURCE: Partial<Record<DashEventKind, SourceId>> = {
  deploy: 'github',
  'pull-request': 'github',
  release: 'github',
  commit: 'github',
  'workflow-run': 'github',
  incident: 'pagerduty',
  change: 'pagerduty',
  alert: 'grafana',
  annotation: 'grafana',
  'log-spike': 'kibana',
};

const PROBLEM_LIKE = new Set<DashEventKind>(['incident', 'alert', 'log-spike']);

/** Catalog name of a scenario's service: `<scenario id>--<service>`. */
export function entityName(scenario: EvalScenario, service: string): string {
  return `${scenario.id}--${service}`;
}

export function entityRefOf(scenario: EvalScenario, service: string): string {
  return `component:default/${entityName(scenario, service)}`;
}

/** Id of the page incident, as the PagerDuty source stores it. */
export function pageIdOf(scenario: EvalScenario): string {
  return `pagerduty:${scenario.id}:page`;
}

export function sourceOf(e: EvalEvent): SourceId | 'changes' {
  const source = e.source ?? DEFAULT_SOURCE[e.kind];
  if (!source)
    throw new Error(`Event ${e.id}: no default source for kind ${e.kind}`);
  return source;
}

/** The stored id of an event a source serves (posted changes get theirs from the backend). */
export function sourcedIdOf(scenario: EvalScenario, e: EvalEvent): string {
  return `${sourceOf(e)}:${scenario.id}:${e.id}`;
}

/** Every service as a Component with `spec.dependsOn` and the `dependsOn` relations. */
export function scenarioEntities(scenario: EvalScenario): Entity[] {
  return Object.entries(scenario.services).map(([service, deps]) =>
    testComponent(
      entityName(scenario, service),
      Object.fromEntries(
        SOURCE_IDS.map(id => [
          sourceAnnotation(id),
          `${scenario.id}/${service}`,
        ]),
      ),
      deps.map(d => entityRefOf(scenario, d)),
    ),
  );
}

const iso = (pageMs: number, minutes: number) =>
  new Date(pageMs + minutes * MINUTE_MS).toISOString();

function defaultStatus(e: EvalEvent): string | undefined {
  switch (e.kind) {
    case 'pull-request':
      return 'merged';
    case 'deploy':
      return 'success';
    case 'alert':
      return e.end === undefined ? 'firing' : 'resolved';
    case 'incident':
      return e.end === undefined ? 'triggered' : 'resolved';
    default:
      return undefined;
  }
}

/**
 * `reverts` in a change's details may name another event of the scenario by its scenario id
 * (an "event id" in the conventions): it becomes that event's stored id. Anything else (a
 * version, a sha, a pull request number) is kept as written.
 */
function withStoredReverts(
  attributes: Record<string, JsonValue>,
  storedIds: Map<string, string>,
): Record<string, JsonValue> {
  const out = { ...attributes };
  for (const key of ['details', 'customDetails']) {
    const details = out[key];
    if (details && typeof details === 'object' && !Array.isArray(details)) {
      const reverts = details.reverts;
      if (typeof reverts === 'string' && storedIds.has(reverts)) {
        out[key] = { ...details, reverts: storedIds.get(reverts)! };
      }
    }
  }
  return out;
}

/** The page: an incident on the paged service at minute 0. */
export function pageEvent(scenario: EvalScenario, pageMs: number): DashEvent {
  const { page } = scenario;
  return {
    id: pageIdOf(scenario),
    source: 'pagerduty',
    kind: 'incident',
    title: page.title,
    severity: page.severity ?? 'critical',
    startTime: iso(pageMs, 0),
    ...(page.resolvedAt !== undefined
      ? { endTime: iso(pageMs, page.resolvedAt) }
      : {}),
    entityRef: entityRefOf(scenario, scenario.paged),
    status: page.resolvedAt !== undefined ? 'resolved' : 'triggered',
    attributes: { urgency: 'high' },
  };
}

/** An event a source serves, with `storedIds` mapping scenario ids to stored ids. */
export function toDashEvent(
  scenario: EvalScenario,
  e: EvalEvent,
  pageMs: number,
  storedIds: Map<string, string>,
): DashEvent {
  const severity: DashSeverity =
    e.severity ?? (PROBLEM_LIKE.has(e.kind) ? 'error' : 'info');
  const status = e.status ?? defaultStatus(e);
  return {
    id: sourcedIdOf(scenario, e),
    source: sourceOf(e),
    kind: e.kind,
    title: e.title,
    severity,
    startTime: iso(pageMs, e.at),
    ...(e.end !== undefined ? { endTime: iso(pageMs, e.end) } : {}),
    entityRef: entityRefOf(scenario, e.service),
    ...(status ? { status } : {}),
    attributes: withStoredReverts(e.attributes ?? {}, storedIds),
  };
}

/** A change event of source `changes`, as its poster would send it to POST /changes. */
export function toChangeInput(
  scenario: EvalScenario,
  e: EvalEvent,
  pageMs: number,
  storedIds: Map<string, string>,
): DashChangeEventInput {
  const a = withStoredReverts(e.attributes ?? {}, storedIds);
  const details = a.details as DashChangeEventInput['details'] | undefined;
  return {
    id: `${scenario.id}.${e.id}`,
    entityRef: entityRefOf(scenario, e.service),
    time: iso(pageMs, e.at),
    title: e.title,
    type: String(a.changeType ?? 'other') as DashChangeEventInput['type'],
    ...(typeof a.environment === 'string'
      ? { environment: a.environment }
      : {}),
    ...(typeof a.version === 'string' ? { version: a.version } : {}),
    ...(details ? { details } : {}),
  };
}
