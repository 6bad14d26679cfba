import type { DashDoraMetrics } from '@dash-suite/plugin-dash-common';

/** The periods offered, in days; the backend's own limit may clamp the wider ones. */
export const PERIODS = [7, 30, 90] as const;
export const DEFAULT_PERIOD = 30;

export type MetricKey =
  | 'deploysPerDay'
  | 'leadTimeHours'
  | 'changeFailureRate'
  | 'timeToRestoreHours';

const round1 = (v: number) => Math.round(v * 10) / 10;

/** `25 min`, `3.5 h`, `2.1 d`. */
export function formatHours(h: number): string {
  if (h < 1) return `${Math.round(h * 60)} min`;
  if (h < 48) return `${round1(h)} h`;
  return `${round1(h / 24)} d`;
}

export interface MetricDefinition {
  key: MetricKey;
  label: string;
  format: (value: number) => string;
}

/** The four DORA metrics, in the order DORA names them. */
export const METRICS: readonly MetricDefinition[] = [
  {
    key: 'deploysPerDay',
    label: 'Deployment frequency',
    format: v => (v >= 1 ? `${round1(v)} / day` : `${round1(v * 7)} / week`),
  },
  { key: 'leadTimeHours', label: 'Lead time for changes', format: formatHours },
  {
    key: 'changeFailureRate',
    label: 'Change failure rate',
    format: v => `${Math.round(v * 100)} %`,
  },
  { key: 'timeToRestoreHours', label: 'Time to restore', format: formatHours },
];

/** True when the window held nothing the metrics could rest on. */
export function isEmpty(m: DashDoraMetrics): boolean {
  const b = m.basis;
  return !b.deploys && !b.mergedPullRequests && !b.resolvedIncidents;
}

/** `12 production deploys (2 failed), 30 merged pull requests, 4 resolved incidents`. */
export function describeBasis(m: DashDoraMetrics): string {
  const n = (count: number, one: string, many: string) =>
    `${count} ${count === 1 ? one : many}`;
  const b = m.basis;
  return [
    `${n(b.deploys, 'production deploy', 'production deploys')} (${
      b.failedDeploys
    } failed)`,
    n(b.mergedPullRequests, 'merged pull request', 'merged pull requests'),
    n(b.resolvedIncidents, 'resolved incident', 'resolved incidents'),
  ].join(', ');
}

export interface Bucket {
  from: number;
  to: number;
}

/** The trend's sub-windows: a day each up to a week, else six equal parts. */
export function trendBuckets(fromMs: number, toMs: number): Bucket[] {
  const days = Math.round((toMs - fromMs) / (24 * 3_600_000));
  const count = days <= 7 ? Math.max(1, days) : 6;
  const step = (toMs - fromMs) / count;
  return Array.from({ length: count }, (_, i) => ({
    from: Math.round(fromMs + i * step),
    to: i === count - 1 ? toMs : Math.round(fromMs + (i + 1) * step),
  }));
}
