import { DashEvent, DAY_MS } from '@dash-suite/plugin-dash-common';
import {
  FetchEventsRequest,
  FetchEventsResult,
  mapWithConcurrency,
  readJsonCursor,
} from '@dash-suite/plugin-dash-node';
import { z } from 'zod';
import { AlertRuleLists, findAlertRules } from './alertRules';
import { readAnnotations } from './annotations';
import { CONFIG_ROOT } from './config';
import { DashboardFinder } from './dashboards';
import { Query } from './GrafanaClient';
import { OpenEpisode, alertEpisodes, annotationEvent } from './normalize';
import { AlertRule } from './schemas';
import { matchesSelector, positiveTags } from './selector';
import { GrafanaRead, PARALLEL } from './target';

/** Alert state history is read from this long before the window, to pair resolves with starts. */
const ALERT_LOOKBACK_MS = DAY_MS;
/** Tags of a selector queried for organisation annotations. */
const MAX_TAG_QUERIES = 5;
const MAX_OPEN_EPISODES = 200;

const cursorSchema = z.object({
  v: z.literal(1),
  open: z
    .array(
      z.object({
        rule: z.string(),
        key: z.string(),
        id: z.number(),
        start: z.number(),
        pendingAt: z.number().optional(),
      }),
    )
    .max(MAX_OPEN_EPISODES),
});
type Cursor = z.infer<typeof cursorSchema>;

/** One annotation read: a dashboard's, an organisation tag's, or an alert rule's history. */
type Job =
  | { kind: 'dashboard'; uid: string }
  | { kind: 'tag'; tag: string }
  | { kind: 'rule'; rule: AlertRule };

function annotationQuery(job: Job): Query {
  switch (job.kind) {
    case 'dashboard':
      return [
        ['dashboardUID', job.uid],
        ['type', 'annotation'],
      ];
    case 'tag':
      return [
        ['tags', job.tag],
        ['type', 'annotation'],
      ];
    default:
      return [
        ['alertUID', job.rule.uid],
        ['type', 'alert'],
      ];
  }
}

/**
 * One fetch of an entity's Grafana timeline: annotations on its dashboards and those tagged
 * for it, and the state history of its alert rules as alert episodes, with the cursor that
 * keeps the episodes still open for the next fetch.
 */
export async function readTimeline(
  read: GrafanaRead,
  finder: DashboardFinder,
  ruleLists: AlertRuleLists,
  request: FetchEventsRequest,
): Promise<FetchEventsResult> {
  const { target, settings, logger } = read;
  const ui = target.client.instance.uiBaseUrl;
  const fromMs = request.from.getTime();
  const toMs = request.to.getTime();
  const cursor = readJsonCursor(request.cursor, cursorSchema);

  const [dashboards, rules] = await Promise.all([
    target.dashboards ? finder.find(read) : Promise.resolve([]),
    target.alerts
      ? findAlertRules(read, ruleLists, target.alerts, request.entityRef)
      : Promise.resolve([]),
  ]);

  const readDashboards = dashboards.slice(0, settings.maxDashboards);
  if (dashboards.length > readDashboards.length) {
    logger.warn(
      `Grafana: ${dashboards.length} dashboards match ${request.entityRef}'s selector; annotations are read from the first ${readDashboards.length} (${CONFIG_ROOT}.maxDashboards)`,
    );
  }
  const tags = target.dashboards
    ? positiveTags(target.dashboards).slice(0, MAX_TAG_QUERIES)
    : [];

  const jobs: Job[] = [
    ...readDashboards.map(d => ({ kind: 'dashboard' as const, uid: d.uid })),
    ...tags.map(tag => ({ kind: 'tag' as const, tag })),
    ...rules.map(rule => ({ kind: 'rule' as const, rule })),
  ];
  const results = await mapWithConcurrency(jobs, PARALLEL, async job => {
    const items = await readAnnotations(
      read,
      annotationQuery(job),
      job.kind === 'rule' ? fromMs - ALERT_LOOKBACK_MS : fromMs,
      toMs,
    );
    // Organisation annotations belong to the service when their tags satisfy its selector.
    return {
      job,
      items:
        job.kind === 'tag'
          ? items.filter(a =>
              matchesSelector(target.dashboards!, { tags: a.tags ?? [] }),
            )
          : items,
    };
  });

  const events: DashEvent[] = [];
  const seen = new Set<number>();
  const fallbackUid = readDashboards[0]?.uid;
  const open: OpenEpisode[] = [];
  for (const { job, items } of results) {
    if (job.kind === 'rule') {
      const episodes = alertEpisodes(
        job.rule,
        items.filter(a => !a.alertUID || a.alertUID === job.rule.uid),
        request.entityRef,
        ui,
        (cursor?.open ?? []).filter(o => o.rule === job.rule.uid),
      );
      events.push(...episodes.events);
      open.push(...episodes.open);
      continue;
    }
    for (const a of items) {
      if (seen.has(a.id) || a.alertId || a.alertUID) continue;
      seen.add(a.id);
      events.push(annotationEvent(a, request.entityRef, ui, fallbackUid));
    }
  }
  const next: Cursor = { v: 1, open: open.slice(0, MAX_OPEN_EPISODES) };
  return { events, cursor: JSON.stringify(next) };
}
