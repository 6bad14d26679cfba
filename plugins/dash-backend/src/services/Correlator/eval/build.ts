import { JsonValue } from '@backstage/types';
import { DashSeverity } from '@dash-suite/plugin-dash-common';
import { createHash } from 'node:crypto';
import { EvalEvent } from './types';

/*
 * Builders for scenario events, so that every scenario stores what the real source module
 * stores (titles, attributes, severities, statuses: see README.md of this folder) and the
 * scenarios read as the story of the incident. Times are minutes relative to the page.
 */

type Attributes = Record<string, JsonValue>;

/** A stable 40-hex commit sha for a label (the same label always gives the same sha). */
export function sha(label: string): string {
  return createHash('sha1').update(label).digest('hex');
}

/** What a GitHub compare between a deploy and the previous deploy of its environment found. */
export interface Shipped {
  pullRequests: Array<{ number: number; title: string }>;
  commits?: Array<{ sha: string; title: string }>;
}

export interface DeployOptions {
  environment?: string;
  /** `success` (default), `failure`, `error`, `in_progress`. */
  status?: string;
  /** A rollback, with the reason the GitHub module found (`task 'rollback'`, `description`). */
  rollback?: string;
  /** The deployment's description, which GitHub shows instead of `Deploy <ref> to <env>`. */
  description?: string;
  shipped?: Shipped;
  /** Minutes the deploy ran (its last status); 4 by default. */
  minutes?: number;
  repo?: string;
}

/** A GitHub deployment, as the GitHub module stores it. */
export function deploy(
  id: string,
  service: string,
  at: number,
  version: string,
  o: DeployOptions = {},
): EvalEvent {
  const environment = o.environment ?? 'production';
  const commit = sha(`${service}@${version}`);
  const status = o.status ?? 'success';
  let severity: DashSeverity = 'info';
  if (status === 'failure' || status === 'error') severity = 'error';
  else if (o.rollback) severity = 'warning';
  const attributes: Attributes = {
    environment,
    sha: commit,
    shortSha: commit.slice(0, 7),
    ref: version,
    version,
    rollback: Boolean(o.rollback),
  };
  if (o.rollback) {
    attributes.rollbackReason = o.rollback;
    attributes.task = 'deploy:rollback';
  }
  if (o.shipped) {
    attributes.shipped = {
      pullRequests: o.shipped.pullRequests.map(p => ({
        number: p.number,
        title: p.title,
        url: `https://github.com/acme/${o.repo ?? service}/pull/${p.number}`,
      })),
      commits: (o.shipped.commits ?? []).map(c => ({
        sha: c.sha,
        title: c.title,
      })),
      base: sha(`${service}@before-${version}`),
    };
  }
  return {
    id,
    service,
    kind: 'deploy',
    source: 'github',
    at,
    end: status === 'in_progress' ? undefined : at + (o.minutes ?? 4),
    title:
      o.description ??
      `${o.rollback ? 'Rollback' : 'Deploy'} ${version} to ${environment}`,
    severity,
    status,
    attributes,
  };
}

/** A merged GitHub pull request. */
export function pr(
  id: string,
  service: string,
  at: number,
  number: number,
  title: string,
  o: { labels?: string[]; headRef?: string; baseRef?: string } = {},
): EvalEvent {
  return {
    id,
    service,
    kind: 'pull-request',
    source: 'github',
    at,
    title: `#${number} ${title}`,
    status: 'merged',
    attributes: {
      number,
      mergeCommitSha: sha(`${service}#${number}`),
      baseRef: o.baseRef ?? 'main',
      headRef: o.headRef ?? `change-${number}`,
      labels: o.labels ?? [],
    },
  };
}

/** A GitHub release. */
export function release(
  id: string,
  service: string,
  at: number,
  tag: string,
): EvalEvent {
  return {
    id,
    service,
    kind: 'release',
    source: 'github',
    at,
    title: `Release ${tag}`,
    attributes: { tag, version: tag, name: tag, prerelease: false },
  };
}

export type ChangeType =
  | 'deploy'
  | 'config'
  | 'feature-flag'
  | 'infrastructure'
  | 'rollback'
  | 'other';

export interface ChangeOptions {
  environment?: string;
  version?: string;
  /** PagerDuty custom details, or the details of a change posted to DASH. */
  details?: Record<string, string | number | boolean>;
  /** `pagerduty` (a PagerDuty change event, the default) or `changes` (POST /api/dash/changes). */
  via?: 'pagerduty' | 'changes';
}

/** A change event: a PagerDuty change event, or a change posted to DASH. */
export function change(
  id: string,
  service: string,
  at: number,
  title: string,
  changeType: ChangeType,
  o: ChangeOptions = {},
): EvalEvent {
  const via = o.via ?? 'pagerduty';
  const attributes: Attributes = { changeType };
  if (o.environment) attributes.environment = o.environment;
  if (o.version) attributes.version = o.version;
  if (changeType === 'rollback') attributes.rollback = true;
  if (via === 'pagerduty') {
    attributes.changeSource = 'spinnaker';
    if (o.details) attributes.customDetails = o.details;
  } else if (o.details) {
    attributes.details = o.details;
  }
  return {
    id,
    service,
    // A posted deploy or rollback is stored as a deploy (see ChangeIngest).
    kind:
      via === 'changes' &&
      (changeType === 'deploy' || changeType === 'rollback')
        ? 'deploy'
        : 'change',
    source: via,
    at,
    title,
    status: 'success',
    attributes,
  };
}

/** A feature flag turned from one state to another. */
export function flag(
  id: string,
  service: string,
  at: number,
  key: string,
  from: string,
  to: string,
  o: Omit<ChangeOptions, 'details'> & { reverts?: string; title?: string } = {},
): EvalEvent {
  const details: Record<string, string> = { flag: key, from, to };
  if (o.reverts) details.reverts = o.reverts;
  return change(
    id,
    service,
    at,
    o.title ?? `Flag ${key}: ${from} → ${to}`,
    'feature-flag',
    { environment: 'production', ...o, details },
  );
}

/** A configuration key changed. */
export function config(
  id: string,
  service: string,
  at: number,
  key: string,
  from: string,
  to: string,
  o: Omit<ChangeOptions, 'details'> & { reverts?: string; title?: string } = {},
): EvalEvent {
  const details: Record<string, string> = { key, from, to };
  if (o.reverts) details.reverts = o.reverts;
  return change(
    id,
    service,
    at,
    o.title ?? `Config ${key}: ${from} → ${to}`,
    'config',
    { environment: 'production', ...o, details },
  );
}

/** A Grafana annotation (a change annotation when its tags say so). */
export function annotation(
  id: string,
  service: string,
  at: number,
  text: string,
  tags: string[],
): EvalEvent {
  const isChange = tags.some(t =>
    /^(deploy|deployment|release|change|config|rollout|migration)$/i.test(t),
  );
  const attributes: Attributes = {
    annotationId: Math.abs(hashNumber(`${service}:${id}`)),
    tags,
    isChange,
  };
  const env = tags.find(t => /^(env:)?(production|prod|staging)$/i.test(t));
  if (env) attributes.environment = env.replace(/^env:/, '');
  if (tags.some(t => /^rollback$/i.test(t))) attributes.rollback = true;
  return {
    id,
    service,
    kind: 'annotation',
    source: 'grafana',
    at,
    title: text,
    severity: 'info',
    attributes,
  };
}

export interface AlertOptions {
  /** Minute it resolved; absent while firing. */
  end?: number;
  severity?: 'critical' | 'error' | 'warning';
  ruleUid?: string;
  summary?: string;
  labels?: Record<string, string>;
}

/** A Grafana alert episode. */
export function alert(
  id: string,
  service: string,
  at: number,
  alertname: string,
  o: AlertOptions = {},
): EvalEvent {
  const severity = o.severity ?? 'warning';
  const attributes: Attributes = {
    ruleUid: o.ruleUid ?? `${slug(alertname)}-${slug(service)}`.slice(0, 40),
    labels: { alertname, severity, service, ...o.labels },
  };
  if (o.summary) attributes.summary = o.summary;
  return {
    id,
    service,
    kind: 'alert',
    source: 'grafana',
    at,
    end: o.end,
    title: alertname,
    severity,
    status: o.end === undefined ? 'firing' : 'resolved',
    attributes,
  };
}

/** A Kibana error log spike (counts per minute). */
export function logSpike(
  id: string,
  service: string,
  at: number,
  end: number,
  peakCount: number,
  baseline: number,
): EvalEvent {
  const ratio = Math.round((peakCount / Math.max(1, baseline)) * 10) / 10;
  return {
    id,
    service,
    kind: 'log-spike',
    source: 'kibana',
    at,
    end,
    title: `Error log spike: ${peakCount} per 1m at peak, baseline ${baseline} (×${ratio})`,
    severity: ratio >= 50 ? 'critical' : 'error',
    status: 'ended',
    attributes: {
      peakCount,
      baseline,
      ratio,
      totalCount: Math.round(peakCount * Math.max(1, end - at) * 0.6),
      buckets: Math.max(1, end - at),
      interval: '1m',
      indexPattern: `logs-${service}-*`,
      query: 'log.level:error',
    },
  };
}

/** A PagerDuty incident on a service other than the paged one (or an earlier one on it). */
export function incident(
  id: string,
  service: string,
  at: number,
  title: string,
  o: { end?: number; severity?: DashSeverity } = {},
): EvalEvent {
  return {
    id,
    service,
    kind: 'incident',
    source: 'pagerduty',
    at,
    end: o.end,
    title,
    severity: o.severity ?? 'error',
    status: o.end === undefined ? 'triggered' : 'resolved',
    attributes: { urgency: 'high', incidentNumber: hashNumber(id) % 9000 },
  };
}

function slug(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9]+/g, '-');
}

function hashNumber(text: string): number {
  return createHash('sha1').update(text).digest().readUInt32BE(0);
}
