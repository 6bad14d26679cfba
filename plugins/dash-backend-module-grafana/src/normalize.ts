import { createHash } from 'node:crypto';
import { JsonValue } from '@backstage/types';
import {
  DashActor,
  DashEvent,
  DashSeverity,
  MINUTE_MS,
} from '@dash-suite/plugin-dash-common';
import { dashEventId, safeLink } from '@dash-suite/plugin-dash-node';
import { AlertRule, AmAlert, Annotation } from './schemas';

export const SOURCE_ID = 'grafana';

/** Annotations open their dashboard this much before and after them. */
const LINK_MARGIN_MS = 30 * MINUTE_MS;
/** Tags that make an annotation a change (the correlator reads the same words). */
const CHANGE_TAGS =
  /^(deploy|deployment|release|change|config|rollout|rollback|migration)$/i;
const ENVIRONMENT_TAGS =
  /^(prod|production|prd|live|staging|stage|stg|dev|development|test|qa|sandbox|canary)$/i;
const MAX_STATE_CHANGES = 20;

/** A dashboard opened on a time window: `/d/<uid>?from=<ms>&to=<ms>`. */
export function dashboardLink(
  uiBaseUrl: string,
  uid: string,
  fromMs: number,
  toMs: number,
): string | undefined {
  return safeLink(
    `${uiBaseUrl}/d/${encodeURIComponent(uid)}?from=${Math.floor(
      fromMs,
    )}&to=${Math.ceil(toMs)}`,
  );
}

/** The view page of a Grafana-managed alert rule. */
export function alertRuleLink(
  uiBaseUrl: string,
  uid: string,
): string | undefined {
  return safeLink(
    `${uiBaseUrl}/alerting/grafana/${encodeURIComponent(uid)}/view`,
  );
}

/** Severity from an alert's `severity` (or `priority`) label; `warning` when it has none. */
export function severityOf(
  labels: Record<string, string> | null | undefined,
): DashSeverity {
  const raw = (labels?.severity ?? labels?.priority ?? '')
    .trim()
    .toLocaleLowerCase('en-US');
  if (/^(critical|crit|fatal|emergency|page|p1|sev-?1)$/.test(raw))
    return 'critical';
  if (/^(error|err|high|major|p2|sev-?2)$/.test(raw)) return 'error';
  if (/^(info|informational|low|none|ok|p4|p5|sev-?[45])$/.test(raw))
    return 'info';
  return 'warning';
}

function plainText(text: string | null | undefined): string {
  return (text ?? '')
    .replace(/<[^>]*>/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

function environmentOf(tags: string[]): string | undefined {
  for (const tag of tags) {
    const prefixed = /^(?:env|environment)[:=](.+)$/i.exec(tag);
    if (prefixed) return prefixed[1];
    if (ENVIRONMENT_TAGS.test(tag)) return tag;
  }
  return undefined;
}

/**
 * A user annotation (deploy markers and other notes): kind `annotation`, with its tags and
 * `isChange` when a tag says deploy, release, change, config, rollout, rollback or migration.
 */
export function annotationEvent(
  a: Annotation,
  entityRef: string,
  uiBaseUrl: string,
  fallbackDashboardUid: string | undefined,
): DashEvent {
  const tags = (a.tags ?? []).filter(t => typeof t === 'string');
  const isChange = tags.some(t => CHANGE_TAGS.test(t));
  const end = a.timeEnd && a.timeEnd > a.time ? a.timeEnd : undefined;
  const text = plainText(a.text);
  const attributes: Record<string, JsonValue> = {
    annotationId: a.id,
    tags,
    isChange,
  };
  if (text.length > 300) attributes.text = text.slice(0, 2000);
  const environment = environmentOf(tags);
  if (environment) attributes.environment = environment;
  if (tags.some(t => /^rollback$/i.test(t))) attributes.rollback = true;
  if (a.dashboardUID) attributes.dashboardUid = a.dashboardUID;
  if (a.panelId) attributes.panelId = a.panelId;

  const event: DashEvent = {
    id: dashEventId(SOURCE_ID, 'annotation', a.id),
    source: SOURCE_ID,
    kind: 'annotation',
    title:
      text.slice(0, 300) ||
      (tags.length ? tags.join(', ') : `Annotation ${a.id}`),
    severity: 'info',
    startTime: new Date(a.time).toISOString(),
    entityRef,
    attributes,
  };
  if (end) event.endTime = new Date(end).toISOString();
  const actorName = a.login || a.email;
  if (actorName) {
    const actor: DashActor = { name: actorName };
    if (a.email) actor.email = a.email;
    event.actor = actor;
  }
  const uid = a.dashboardUID || fallbackDashboardUid;
  if (uid) {
    const url = dashboardLink(
      uiBaseUrl,
      uid,
      a.time - LINK_MARGIN_MS,
      (end ?? a.time) + LINK_MARGIN_MS,
    );
    if (url) event.url = url;
  }
  return event;
}

/** The labels of an alert state annotation's text, `Title {a=b, c=d} - B=1`, as a stable key. */
function instanceOf(a: Annotation): {
  key: string;
  labels: Record<string, string>;
} {
  const m = /\{([^{}]*)\}/.exec(a.text ?? '');
  if (!m) return { key: '', labels: {} };
  const labels: Record<string, string> = {};
  for (const part of m[1].split(/,\s*/)) {
    const eq = part.indexOf('=');
    if (eq > 0) labels[part.slice(0, eq).trim()] = part.slice(eq + 1).trim();
  }
  const key = Object.keys(labels)
    .sort()
    .map(k => `${k}=${labels[k]}`)
    .join(',');
  return { key, labels };
}

/** An episode still firing at the last fetch, kept in the cursor to pair its resolve with. */
export interface OpenEpisode {
  rule: string;
  /** Instance key (its labels), '' for a rule with one instance. */
  key: string;
  /** Id of the annotation that started it (becomes the event id). */
  id: number;
  start: number;
  pendingAt?: number;
}

const shortHash = (s: string) =>
  createHash('sha256').update(s).digest('hex').slice(0, 10);

/**
 * Alert episodes of one Grafana-managed rule from its state history (annotations of type
 * `alert`): each `Alerting` transition opens an episode (kind `alert`, status `firing`) and the
 * next `Normal` closes it (`resolved`, with an end). Ids are the opening annotation's, so an
 * episode keeps its id from firing to resolved.
 */
export function alertEpisodes(
  rule: AlertRule,
  annotations: Annotation[],
  entityRef: string,
  uiBaseUrl: string,
  open: OpenEpisode[],
): { events: DashEvent[]; open: OpenEpisode[] } {
  const groups = new Map<
    string,
    { labels: Record<string, string>; items: Annotation[] }
  >();
  for (const a of [...annotations].sort(
    (x, y) => x.time - y.time || x.id - y.id,
  )) {
    const { key, labels } = instanceOf(a);
    const group = groups.get(key) ?? { labels, items: [] };
    group.items.push(a);
    groups.set(key, group);
  }
  for (const episode of open) {
    if (!groups.has(episode.key))
      groups.set(episode.key, { labels: {}, items: [] });
  }

  const events: DashEvent[] = [];
  const stillOpen: OpenEpisode[] = [];
  for (const [key, { labels, items }] of groups) {
    let current: (OpenEpisode & { changes: Annotation[] }) | undefined;
    const carried = open.find(o => o.key === key);
    if (carried) current = { ...carried, changes: [] };
    let pendingAt: number | undefined;
    const emit = (endMs?: number) => {
      events.push(
        episodeEvent(rule, key, labels, current!, endMs, entityRef, uiBaseUrl),
      );
    };
    for (const a of items) {
      const state = (a.newState ?? '').toLocaleLowerCase('en-US');
      if (current && a.id === current.id) continue;
      if (state.startsWith('pending')) {
        if (!current) pendingAt = a.time;
        else current.changes.push(a);
      } else if (state.startsWith('alerting')) {
        if (!current) {
          current = {
            rule: rule.uid,
            key,
            id: a.id,
            start: a.time,
            pendingAt,
            changes: [],
          };
          pendingAt = undefined;
        } else {
          current.changes.push(a);
        }
      } else if (state.startsWith('normal')) {
        if (current) {
          current.changes.push(a);
          emit(a.time);
          current = undefined;
        }
        pendingAt = undefined;
      } else if (current) {
        current.changes.push(a);
      }
    }
    if (current) {
      emit(undefined);
      stillOpen.push({
        rule: current.rule,
        key: current.key,
        id: current.id,
        start: current.start,
        ...(current.pendingAt !== undefined
          ? { pendingAt: current.pendingAt }
          : {}),
      });
    }
  }
  return { events, open: stillOpen };
}

function episodeEvent(
  rule: AlertRule,
  key: string,
  instanceLabels: Record<string, string>,
  episode: OpenEpisode & { changes: Annotation[] },
  endMs: number | undefined,
  entityRef: string,
  uiBaseUrl: string,
): DashEvent {
  const labels = { ...(rule.labels ?? {}), ...instanceLabels };
  const title = rule.title ?? labels.alertname ?? rule.uid;
  const attributes: Record<string, JsonValue> = {
    ruleUid: rule.uid,
    labels,
    stateChanges: episode.changes.slice(0, MAX_STATE_CHANGES).map(c => ({
      time: new Date(c.time).toISOString(),
      prevState: c.prevState ?? null,
      newState: c.newState ?? null,
    })),
  };
  if (key) attributes.instance = key;
  if (episode.pendingAt !== undefined)
    attributes.pendingAt = new Date(episode.pendingAt).toISOString();
  if (rule.annotations?.summary) attributes.summary = rule.annotations.summary;
  const runbook = safeLink(rule.annotations?.runbook_url);
  if (runbook) attributes.runbookUrl = runbook;
  if (rule.annotations?.__dashboardUid__)
    attributes.dashboardUid = rule.annotations.__dashboardUid__;
  if (rule.folderUID) attributes.folderUid = rule.folderUID;
  if (rule.ruleGroup) attributes.ruleGroup = rule.ruleGroup;

  const extra = Object.entries(instanceLabels)
    .filter(
      ([k]) =>
        k !== 'alertname' &&
        !k.startsWith('grafana_') &&
        rule.labels?.[k] === undefined,
    )
    .map(([k, v]) => `${k}=${v}`);
  const event: DashEvent = {
    id: key
      ? dashEventId(SOURCE_ID, 'alert', rule.uid, shortHash(key), episode.id)
      : dashEventId(SOURCE_ID, 'alert', rule.uid, episode.id),
    source: SOURCE_ID,
    kind: 'alert',
    title: extra.length ? `${title} (${extra.join(', ')})` : title,
    severity: severityOf(labels),
    startTime: new Date(episode.start).toISOString(),
    entityRef,
    status: endMs === undefined ? 'firing' : 'resolved',
    attributes,
  };
  if (endMs !== undefined) event.endTime = new Date(endMs).toISOString();
  const url = alertRuleLink(uiBaseUrl, rule.uid);
  if (url) event.url = url;
  return event;
}

/** The rule uid in an alert's generator URL (`…/alerting/grafana/<uid>/view`). */
export function ruleUidOf(generatorURL: string | null | undefined) {
  const m = /\/alerting\/grafana\/([^/?#]+)\/view/.exec(generatorURL ?? '');
  return m ? decodeURIComponent(m[1]) : undefined;
}

/** A firing alert instance from Grafana's Alertmanager: kind `alert`, status `firing`. */
export function firingAlertEvent(
  alert: AmAlert,
  entityRef: string,
  uiBaseUrl: string,
): DashEvent | undefined {
  const start = Date.parse(alert.startsAt);
  if (Number.isNaN(start)) return undefined;
  const ruleUid =
    alert.labels.__alert_rule_uid__ ?? ruleUidOf(alert.generatorURL);
  const labels = Object.fromEntries(
    Object.entries(alert.labels).filter(([k]) => !k.startsWith('__')),
  );
  const attributes: Record<string, JsonValue> = {
    fingerprint: alert.fingerprint,
    labels,
  };
  if (ruleUid) attributes.ruleUid = ruleUid;
  if (alert.annotations?.summary)
    attributes.summary = alert.annotations.summary;
  const runbook = safeLink(alert.annotations?.runbook_url);
  if (runbook) attributes.runbookUrl = runbook;
  if (alert.status?.silencedBy?.length) attributes.silenced = true;
  const event: DashEvent = {
    id: dashEventId(SOURCE_ID, 'firing', alert.fingerprint),
    source: SOURCE_ID,
    kind: 'alert',
    title: labels.alertname ?? alert.annotations?.summary ?? 'Grafana alert',
    severity: severityOf(labels),
    startTime: new Date(start).toISOString(),
    entityRef,
    status: 'firing',
    attributes,
  };
  const url = ruleUid
    ? alertRuleLink(uiBaseUrl, ruleUid)
    : safeLink(alert.generatorURL);
  if (url) event.url = url;
  return event;
}
