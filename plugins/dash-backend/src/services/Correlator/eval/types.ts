import { JsonValue } from '@backstage/types';
import { DashEventKind, DashSeverity } from '@dash-suite/plugin-dash-common';

/*
 * The evaluation set of the likely-cause ranking: incidents shaped like real ones, each with the
 * change that truly caused it (or none). Times are minutes relative to the page (the incident at
 * minute 0); negative is before.
 */

/** One event around the incident, as a DASH source would have stored it. */
export interface EvalEvent {
  /**
   * Unique within the scenario; the stored event id is `<source>:<scenario id>:<id>`, except for
   * source `changes`: those are posted to POST /api/dash/changes (as `<scenario id>.<id>`) and
   * stored under the id the backend answers. A change's `reverts` detail may name another event
   * of the scenario by this id; the harness writes that event's stored id instead.
   */
  id: string;
  /** Name of one of the scenario's services. */
  service: string;
  kind: DashEventKind;
  /** Minutes relative to the page; negative is before it. */
  at: number;
  /** Minutes relative to the page, for events with a duration (alerts, incidents, log spikes). */
  end?: number;
  title: string;
  /** Defaults: `error` for incidents, alerts and log spikes, `info` otherwise. */
  severity?: DashSeverity;
  /**
   * Defaults by kind: `merged` for pull requests, `success` for deploys, `firing` for alerts
   * without an end and `resolved` with one, `resolved`/`triggered` likewise for incidents.
   */
  status?: string;
  /**
   * The system that recorded it. Defaults by kind: github (deploy, pull-request, release, commit,
   * workflow-run), pagerduty (incident, change), grafana (alert, annotation), kibana (log-spike).
   */
  source?: 'github' | 'pagerduty' | 'grafana' | 'kibana' | 'changes';
  /** As the real source would set them; see the conventions in README.md of this folder. */
  attributes?: Record<string, JsonValue>;
}

export interface EvalScenario {
  /** kebab-case, unique in the set. */
  id: string;
  title: string;
  /**
   * Where the story comes from: the public postmortem or incident report (its title and URL),
   * or `distractor: <what it tests>` for a deliberate trap written for the set.
   */
  source: string;
  /** Each service of the small graph and the services it depends on (`dependsOn`). */
  services: Record<string, string[]>;
  /** The service that was paged. */
  paged: string;
  /** The page: an incident on `paged` at minute 0. */
  page: {
    title: string;
    /** Minute the incident was resolved; absent while it is still open. */
    resolvedAt?: number;
    severity?: DashSeverity;
  };
  events: EvalEvent[];
  /**
   * The id of the change that truly caused the incident; a list when one change was recorded by
   * several systems (any of them counts); null when no change in view caused it (the answer
   * should then be "nothing plausible").
   */
  cause: string | string[] | null;
}
