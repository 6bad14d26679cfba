import {
  DAY_MS,
  DashCorrelation,
  DashDoraMetrics,
  DashEvent,
  HOUR_MS,
} from '@dash-suite/plugin-dash-common';

const PRODUCTION = /^(prod|production|live|prd)([-_].*)?$/i;

function isProductionDeploy(e: DashEvent): boolean {
  const isDeploy =
    e.kind === 'deploy' ||
    (e.kind === 'change' &&
      ['deploy', 'rollback'].includes(String(e.attributes.changeType)));
  if (!isDeploy) return false;
  if (
    [
      'failure',
      'error',
      'inactive',
      'in_progress',
      'queued',
      'pending',
    ].includes(String(e.status))
  ) {
    return false;
  }
  const env = e.attributes.environment;
  // A deploy that names no environment is taken to be production: deploy systems that post
  // change events for one environment only often leave it out.
  return env === undefined || env === null || PRODUCTION.test(String(env));
}

function isRollback(e: DashEvent): boolean {
  return (
    e.attributes.rollback === true || e.attributes.changeType === 'rollback'
  );
}

function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

const round = (v: number | null, digits = 2) =>
  v === null ? null : Math.round(v * 10 ** digits) / 10 ** digits;

export interface DoraInput {
  fromMs: number;
  toMs: number;
  /** The entity's events in the window (deploys, pull requests, incidents...). */
  events: DashEvent[];
  /** Correlations of the entity's incidents, to tell which deploys caused one. */
  correlations: DashCorrelation[];
}

/** The figures of `DashDoraMetrics`, without what the route adds (entity, window, sources). */
export type DoraFigures = Omit<
  DashDoraMetrics,
  'entityRef' | 'from' | 'to' | 'sources'
>;

/**
 * The four DORA metrics from the timeline's own events:
 * - deployment frequency: successful production deploys (rollbacks excluded) per day;
 * - lead time for changes: median hours from a merged pull request's creation to the first
 *   production deploy at or after its merge;
 * - change failure rate: the share of those deploys that were rolled back, or that the
 *   correlator ranks first as the likely cause of an incident;
 * - time to restore: median hours from an incident's start to its resolution.
 */
export function computeDora(input: DoraInput): DoraFigures {
  const inWindow = (e: DashEvent) => {
    const t = Date.parse(e.startTime);
    return t >= input.fromMs && t <= input.toMs;
  };
  const deploys = input.events
    .filter(e => inWindow(e) && isProductionDeploy(e) && !isRollback(e))
    .sort((a, b) => Date.parse(a.startTime) - Date.parse(b.startTime));
  const rollbacks = input.events.filter(
    e => inWindow(e) && isProductionDeploy(e) && isRollback(e),
  );

  const causes = new Set(
    input.correlations
      .filter(c => c.verdict === 'ranked' && c.candidates.length > 0)
      .map(c => c.candidates[0].eventId),
  );
  const failed = deploys.filter((d, i) => {
    if (causes.has(d.id)) return true;
    // Rolled back before the next deploy went out.
    const t = Date.parse(d.startTime);
    const next = deploys[i + 1]
      ? Date.parse(deploys[i + 1].startTime)
      : Infinity;
    return rollbacks.some(r => {
      const rt = Date.parse(r.startTime);
      return r.entityRef === d.entityRef && rt > t && rt <= next;
    });
  });

  const merged = input.events.filter(
    e => e.kind === 'pull-request' && e.status === 'merged' && inWindow(e),
  );
  const leadTimes: number[] = [];
  for (const pr of merged) {
    const mergedAt = Date.parse(String(pr.attributes.mergedAt ?? pr.startTime));
    const createdAt = Date.parse(
      String(pr.attributes.createdAt ?? pr.attributes.mergedAt ?? pr.startTime),
    );
    const shipped = deploys.find(
      d => d.entityRef === pr.entityRef && Date.parse(d.startTime) >= mergedAt,
    );
    if (shipped && !Number.isNaN(createdAt)) {
      leadTimes.push((Date.parse(shipped.startTime) - createdAt) / HOUR_MS);
    }
  }

  const resolved = input.events.filter(
    e => e.kind === 'incident' && e.endTime && inWindow(e),
  );
  const restoreTimes = resolved.map(
    e => (Date.parse(e.endTime!) - Date.parse(e.startTime)) / HOUR_MS,
  );

  const days = Math.max(1 / 24, (input.toMs - input.fromMs) / DAY_MS);
  return {
    deployCount: deploys.length,
    deploysPerDay: round(deploys.length / days),
    leadTimeHours: round(median(leadTimes)),
    changeFailureRate: deploys.length
      ? round(failed.length / deploys.length, 3)
      : null,
    timeToRestoreHours: round(median(restoreTimes)),
    basis: {
      deploys: deploys.length,
      mergedPullRequests: merged.length,
      failedDeploys: failed.length,
      resolvedIncidents: resolved.length,
    },
  };
}
