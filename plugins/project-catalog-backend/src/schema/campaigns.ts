import {
  CAMPAIGN_LIMITS,
  CAMPAIGN_MANUAL_STATUSES,
  CAMPAIGN_STATUSES,
  projectField,
} from '@dash-suite/plugin-project-catalog-common';
import { z } from 'zod';

/** Control characters; tabs and line breaks are text unless it must be a single line. */
function isControl(c: string, singleLine = false): boolean {
  const code = c.charCodeAt(0);
  if (c === '\t') return false;
  if (c === '\n' || c === '\r') return singleLine;
  return code < 0x20 || code === 0x7f;
}

/** Text without NUL or other control characters (PostgreSQL refuses NUL in text). */
const text = (max: number, opts: { singleLine?: boolean; min?: number } = {}) =>
  z
    .string()
    .min(opts.min ?? 0, 'must not be empty')
    .max(max, `must be at most ${max} characters`)
    .refine(s => ![...s].some(c => isControl(c, opts.singleLine)), {
      message: opts.singleLine
        ? 'must be a single line of text without control characters'
        : 'must not contain control characters',
    });

export const campaignIdSchema = z
  .string()
  .max(
    CAMPAIGN_LIMITS.idLength,
    `must be at most ${CAMPAIGN_LIMITS.idLength} characters`,
  )
  .regex(
    /^[a-z0-9]+(?:-[a-z0-9]+)*$/,
    'must be lower-case letters, digits and single dashes, e.g. node-22-ci',
  );

/** An ISO 8601 date or date-time, as epoch ms. */
const timeSchema = z
  .string()
  .refine(
    s =>
      /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2}))?$/.test(
        s,
      ) && !Number.isNaN(Date.parse(s)),
    {
      message:
        'must be an ISO 8601 date or date-time, e.g. 2027-01-31 or 2027-01-31T17:00:00Z',
    },
  )
  .transform(s => Date.parse(s));

const scopeValues = (max = 255) =>
  z
    .array(text(max, { singleLine: true, min: 1 }))
    .min(1, 'must list at least one value (or leave the key out)')
    .max(
      CAMPAIGN_LIMITS.scopeValues,
      `must have at most ${CAMPAIGN_LIMITS.scopeValues} values`,
    );

export const campaignScopeSchema = z
  .object({
    kind: scopeValues(63).optional(),
    type: scopeValues(63).optional(),
    tags: scopeValues(63).optional(),
    owner: scopeValues().optional(),
    system: scopeValues().optional(),
    lifecycle: scopeValues(63).optional(),
  })
  .strict()
  .refine(s => Object.values(s).some(v => v?.length), {
    message:
      'must name at least one of kind, type, tags, owner, system, lifecycle',
  });

export const campaignCheckSchema = z
  .object({
    type: z.string().min(1, 'must name a check type').max(63),
    config: z
      .record(z.string(), z.unknown())
      .default({})
      .refine(
        c => JSON.stringify(c).length <= CAMPAIGN_LIMITS.checkConfigBytes,
        {
          message: `must be at most ${CAMPAIGN_LIMITS.checkConfigBytes} characters as JSON`,
        },
      ),
  })
  .strict();

const fields = {
  title: text(CAMPAIGN_LIMITS.titleLength, { singleLine: true, min: 1 }),
  description: text(CAMPAIGN_LIMITS.descriptionLength),
  owner: projectField('owner')!.schema as z.ZodType<string>,
  startsAt: timeSchema,
  deadline: timeSchema,
  scope: campaignScopeSchema,
  check: campaignCheckSchema,
};

const deadlineAfterStart = (c: { startsAt?: unknown; deadline?: unknown }) =>
  typeof c.startsAt !== 'number' ||
  typeof c.deadline !== 'number' ||
  c.deadline > c.startsAt;

/** `POST /campaigns` (and each of `projectCatalog.campaigns.definitions`). */
export const createCampaignBodySchema = z
  .object({
    id: campaignIdSchema,
    title: fields.title,
    description: fields.description.optional(),
    owner: fields.owner,
    startsAt: fields.startsAt,
    deadline: fields.deadline,
    scope: fields.scope,
    check: fields.check,
  })
  .strict()
  .refine(deadlineAfterStart, {
    path: ['deadline'],
    message: 'must be after startsAt',
  });

/** `PATCH /campaigns/:id`: the version read and the fields to change. */
export const updateCampaignBodySchema = z
  .object({
    version: z.number().int().min(0),
    title: fields.title.optional(),
    description: fields.description.optional(),
    owner: fields.owner.optional(),
    startsAt: fields.startsAt.optional(),
    deadline: fields.deadline.optional(),
    scope: fields.scope.optional(),
    check: fields.check.optional(),
  })
  .strict()
  .refine(c => Object.keys(c).some(k => k !== 'version'), {
    path: ['version'],
    message: 'nothing to change besides the version',
  })
  .refine(deadlineAfterStart, {
    path: ['deadline'],
    message: 'must be after startsAt',
  });

export const deleteCampaignQuerySchema = z
  .object({ version: z.coerce.number().int().min(0) })
  .strict();

/** `?status=done&status=failing` or `?status=done,failing`. */
const statusList = z.preprocess(
  v => (typeof v === 'string' ? v.split(',') : v),
  z
    .array(
      z.enum(CAMPAIGN_STATUSES, {
        error: `must be one of ${CAMPAIGN_STATUSES.join(', ')}`,
      }),
    )
    .max(CAMPAIGN_STATUSES.length),
);

export const campaignEntitiesQuerySchema = z
  .object({
    status: statusList.optional(),
    owner: text(255, { singleLine: true, min: 1 }).optional(),
    cursor: z
      .string()
      .max(400)
      .regex(/^[A-Za-z0-9_-]+$/, 'must be a cursor from a previous page')
      .optional(),
    limit: z.coerce
      .number()
      .int()
      .min(1)
      .max(CAMPAIGN_LIMITS.pageSize)
      .optional(),
  })
  .strict();

const day = z.iso.date({ message: 'must be a date such as 2026-12-01' });

export const campaignHistoryQuerySchema = z
  .object({
    team: text(255, { singleLine: true, min: 1 }).optional(),
    byTeam: z
      .enum(['true', 'false'], { error: 'must be true or false' })
      .optional(),
    from: day.optional(),
    to: day.optional(),
  })
  .strict();

export const evaluateQuerySchema = z
  .object({
    wait: z
      .enum(['true', 'false'], { error: 'must be true or false' })
      .optional(),
  })
  .strict();

export const manualStatusBodySchema = z
  .object({
    status: z.enum(CAMPAIGN_MANUAL_STATUSES, {
      error: `must be one of ${CAMPAIGN_MANUAL_STATUSES.join(', ')}`,
    }),
    note: text(CAMPAIGN_LIMITS.noteLength, { min: 1 }),
  })
  .strict();

export const exemptionBodySchema = z
  .object({ reason: text(CAMPAIGN_LIMITS.reasonLength, { min: 1 }) })
  .strict();

export type CreateCampaignBody = z.output<typeof createCampaignBodySchema>;
export type UpdateCampaignBody = z.output<typeof updateCampaignBodySchema>;
