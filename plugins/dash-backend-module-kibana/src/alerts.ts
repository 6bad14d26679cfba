import { z } from 'zod';

/** The parts of a Kibana rule (`GET /api/alerting/rules/_find`) that the source reads. */
export const ruleSchema = z.object({
  id: z.string().regex(/^[\w-]{1,128}$/),
  name: z.string(),
  tags: z.array(z.string()).nullish(),
  enabled: z.boolean().nullish(),
  rule_type_id: z.string().nullish(),
  execution_status: z
    .object({
      status: z.string().nullish(),
      last_execution_date: z.string().nullish(),
    })
    .nullish(),
  last_run: z
    .object({
      alerts_count: z
        .object({ active: z.number().nullish() })
        .loose()
        .nullish(),
      outcome: z.string().nullish(),
    })
    .nullish(),
});
export type KibanaRule = z.infer<typeof ruleSchema>;

export const findRulesSchema = z.object({
  page: z.number(),
  per_page: z.number(),
  total: z.number(),
  data: z.array(z.unknown()),
});

/** One entry of `GET /internal/alerting/rule/{id}/_execution_log`. */
export const executionSchema = z.object({
  id: z.string().nullish(),
  timestamp: z.string(),
  status: z.string().nullish(),
  num_active_alerts: z.number().nullish(),
  num_new_alerts: z.number().nullish(),
  num_recovered_alerts: z.number().nullish(),
});
export type KibanaExecution = z.infer<typeof executionSchema>;

export const executionLogSchema = z.object({
  total: z.number(),
  data: z.array(z.unknown()),
});

/** A stretch of consecutive rule executions that had active alerts. */
export interface AlertEpisode {
  /** ISO time of the first execution with active alerts. */
  start: string;
  /** ISO time of the first execution after it without active alerts; absent while active. */
  end?: string;
  maxActiveAlerts: number;
  newAlerts: number;
  executions: number;
  /**
   * The executions read begin inside the episode (its first one found no new alert): it began
   * earlier, so `start` is only where the reading began.
   */
  startUnknown?: boolean;
}

function active(e: KibanaExecution): boolean {
  return (e.num_active_alerts ?? 0) > 0 || (e.num_new_alerts ?? 0) > 0;
}

/**
 * Folds a rule's executions (any order) into alert episodes: an episode starts at an execution
 * that found active alerts and ends at the next execution that found none (recovered). Failed
 * executions are skipped: they found nothing either way.
 */
export function alertEpisodes(executions: KibanaExecution[]): AlertEpisode[] {
  const ordered = executions
    .filter(e => !Number.isNaN(Date.parse(e.timestamp)))
    .filter(e => !e.status || e.status === 'success')
    .sort((a, b) => Date.parse(a.timestamp) - Date.parse(b.timestamp));
  const episodes: AlertEpisode[] = [];
  let open: AlertEpisode | undefined;
  ordered.forEach((e, index) => {
    const at = new Date(Date.parse(e.timestamp)).toISOString();
    if (active(e)) {
      if (!open) {
        open = { start: at, maxActiveAlerts: 0, newAlerts: 0, executions: 0 };
        if (index === 0 && !(e.num_new_alerts ?? 0)) open.startUnknown = true;
      }
      open.maxActiveAlerts = Math.max(
        open.maxActiveAlerts,
        e.num_active_alerts ?? 0,
      );
      open.newAlerts += e.num_new_alerts ?? 0;
      open.executions += 1;
    } else if (open) {
      open.end = at;
      episodes.push(open);
      open = undefined;
    }
  });
  if (open) episodes.push(open);
  return episodes;
}
