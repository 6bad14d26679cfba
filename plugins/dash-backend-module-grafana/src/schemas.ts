import { z } from 'zod';

/** The parts of Grafana HTTP API answers the source reads; items that do not parse are skipped. */

/** Parses each element on its own, keeping the good ones and counting the rest. */
export function lenientArray<T>(item: z.ZodType<T>) {
  return z.array(z.unknown()).transform(values => {
    const items: T[] = [];
    let dropped = 0;
    for (const v of values) {
      const parsed = item.safeParse(v);
      if (parsed.success) items.push(parsed.data);
      else dropped += 1;
    }
    return { items, dropped };
  });
}

export const searchHitSchema = z.object({
  uid: z.string().min(1),
  title: z.string().nullish(),
  url: z.string().nullish(),
  type: z.string().nullish(),
  tags: z.array(z.string()).nullish(),
  folderTitle: z.string().nullish(),
  folderUrl: z.string().nullish(),
});
export type SearchHit = z.infer<typeof searchHitSchema>;

export const annotationSchema = z.object({
  id: z.number(),
  alertId: z.number().nullish(),
  alertName: z.string().nullish(),
  alertUID: z.string().nullish(),
  dashboardUID: z.string().nullish(),
  panelId: z.number().nullish(),
  newState: z.string().nullish(),
  prevState: z.string().nullish(),
  time: z.number(),
  timeEnd: z.number().nullish(),
  text: z.string().nullish(),
  tags: z.array(z.string()).nullish(),
  login: z.string().nullish(),
  email: z.string().nullish(),
});
export type Annotation = z.infer<typeof annotationSchema>;

export const alertRuleSchema = z.object({
  uid: z.string().min(1),
  id: z.number().nullish(),
  title: z.string().nullish(),
  folderUID: z.string().nullish(),
  ruleGroup: z.string().nullish(),
  labels: z.record(z.string(), z.string()).nullish(),
  annotations: z.record(z.string(), z.string()).nullish(),
});
export type AlertRule = z.infer<typeof alertRuleSchema>;

/** `GET /api/alertmanager/grafana/api/v2/alerts` (Alertmanager's gettableAlert). */
export const amAlertSchema = z.object({
  fingerprint: z.string().min(1),
  labels: z.record(z.string(), z.string()),
  annotations: z.record(z.string(), z.string()).nullish(),
  startsAt: z.string(),
  endsAt: z.string().nullish(),
  updatedAt: z.string().nullish(),
  generatorURL: z.string().nullish(),
  status: z
    .object({
      state: z.string().nullish(),
      silencedBy: z.array(z.string()).nullish(),
      inhibitedBy: z.array(z.string()).nullish(),
    })
    .nullish(),
});
export type AmAlert = z.infer<typeof amAlertSchema>;
