import { z } from 'zod';

/** The parts of PagerDuty REST API v2 objects the source reads; everything else is ignored. */

export const referenceSchema = z.object({
  id: z.string().min(1),
  type: z.string().nullish(),
  summary: z.string().nullish(),
  html_url: z.string().nullish(),
});
export type Reference = z.infer<typeof referenceSchema>;

export const incidentSchema = z.object({
  id: z.string().min(1),
  incident_number: z.number().nullish(),
  title: z.string().nullish(),
  summary: z.string().nullish(),
  description: z.string().nullish(),
  status: z.string(),
  urgency: z.string().nullish(),
  priority: z
    .object({
      id: z.string().nullish(),
      name: z.string().nullish(),
      summary: z.string().nullish(),
    })
    .nullish(),
  created_at: z.string(),
  updated_at: z.string().nullish(),
  resolved_at: z.string().nullish(),
  last_status_change_at: z.string().nullish(),
  last_status_change_by: referenceSchema.nullish(),
  html_url: z.string().nullish(),
  incident_key: z.string().nullish(),
  service: referenceSchema.nullish(),
  escalation_policy: referenceSchema.nullish(),
  assignments: z
    .array(z.object({ at: z.string().nullish(), assignee: referenceSchema }))
    .nullish(),
  acknowledgements: z
    .array(
      z.object({ at: z.string().nullish(), acknowledger: referenceSchema }),
    )
    .nullish(),
  /** With `include[]=conference_bridge`: a web conference or chat channel link. */
  conference_bridge: z
    .object({
      conference_url: z.string().nullish(),
      conference_number: z.string().nullish(),
    })
    .nullish(),
});
export type Incident = z.infer<typeof incidentSchema>;

export const logEntrySchema = z.object({
  id: z.string().min(1),
  type: z.string(),
  summary: z.string().nullish(),
  created_at: z.string(),
  html_url: z.string().nullish(),
  agent: referenceSchema.nullish(),
  channel: z
    .object({
      type: z.string().nullish(),
      summary: z.string().nullish(),
    })
    .nullish(),
  incident: referenceSchema.nullish(),
  assignees: z.array(referenceSchema).nullish(),
  note: z.string().nullish(),
});
export type LogEntry = z.infer<typeof logEntrySchema>;

const jsonValue: z.ZodType<unknown> = z.unknown();

export const changeEventSchema = z.object({
  id: z.string().min(1),
  summary: z.string().nullish(),
  timestamp: z.string(),
  source: z.string().nullish(),
  custom_details: z.record(z.string(), jsonValue).nullish(),
  links: z
    .array(z.object({ href: z.string().nullish(), text: z.string().nullish() }))
    .nullish(),
});
export type ChangeEvent = z.infer<typeof changeEventSchema>;

export const oncallSchema = z.object({
  escalation_level: z.number(),
  escalation_policy: referenceSchema.nullish(),
  schedule: referenceSchema.nullish(),
  user: referenceSchema.extend({
    name: z.string().nullish(),
    email: z.string().nullish(),
  }),
  start: z.string().nullish(),
  end: z.string().nullish(),
});
export type OnCall = z.infer<typeof oncallSchema>;

export const serviceSchema = z.object({
  id: z.string().min(1),
  name: z.string().nullish(),
  html_url: z.string().nullish(),
  escalation_policy: referenceSchema.nullish(),
});
export type Service = z.infer<typeof serviceSchema>;

export const userSchema = z.object({
  id: z.string().min(1),
  name: z.string().nullish(),
  summary: z.string().nullish(),
  email: z.string().nullish(),
  html_url: z.string().nullish(),
});
export type User = z.infer<typeof userSchema>;
