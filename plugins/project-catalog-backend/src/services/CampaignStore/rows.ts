import {
  CAMPAIGN_STATUSES,
  CampaignCounts,
  emptyCampaignCounts,
} from '@dash-suite/plugin-project-catalog-common';
import { HistoryRow, StoredCampaign, StoredStatus } from './types';

const num = (v: unknown) =>
  v === null || v === undefined ? undefined : Number(v);
const str = (v: unknown) =>
  v === null || v === undefined ? undefined : String(v);

export function campaignRow(c: StoredCampaign) {
  return {
    id: c.id,
    title: c.title,
    description: c.description ?? null,
    owner: c.owner,
    starts_ms: c.startsMs,
    deadline_ms: c.deadlineMs,
    scope: JSON.stringify(c.scope),
    check_type: c.check.type,
    check_config: JSON.stringify(c.check.config),
    origin: c.origin,
    version: c.version,
    created_by: c.createdBy,
    created_ms: c.createdMs,
    updated_by: c.updatedBy,
    updated_ms: c.updatedMs,
  };
}

export function toCampaign(r: any): StoredCampaign {
  return {
    id: r.id,
    title: r.title,
    ...(r.description !== null ? { description: r.description } : {}),
    owner: r.owner,
    startsMs: Number(r.starts_ms),
    deadlineMs: Number(r.deadline_ms),
    scope: JSON.parse(r.scope),
    check: { type: r.check_type, config: JSON.parse(r.check_config) },
    origin: r.origin,
    version: Number(r.version),
    createdBy: r.created_by,
    createdMs: Number(r.created_ms),
    updatedBy: r.updated_by,
    updatedMs: Number(r.updated_ms),
    ...(r.evaluated_ms !== null ? { evaluatedMs: Number(r.evaluated_ms) } : {}),
    ...(r.evaluation_error ? { evaluationError: r.evaluation_error } : {}),
  };
}

/** The columns the evaluator owns; manual notes and exemptions are written by people. */
export const EVALUATOR_COLUMNS = [
  'owner',
  'status',
  'detail',
  'check_status',
  'check_detail',
  'cursor',
  'degraded_reason',
  'degraded_message',
  'degraded_since_ms',
  'evaluated_ms',
  'changed_ms',
  'done_since_ms',
] as const;

export function statusRow(s: StoredStatus) {
  return {
    campaign_id: s.campaignId,
    entity_ref: s.entityRef,
    owner: s.owner ?? null,
    status: s.status,
    detail: s.detail ?? null,
    check_status: s.checkStatus ?? null,
    check_detail: s.checkDetail ?? null,
    cursor: s.cursor ?? null,
    degraded_reason: s.degraded?.reason ?? null,
    degraded_message: s.degraded?.message ?? null,
    degraded_since_ms: s.degraded?.sinceMs ?? null,
    manual_status: s.manual?.status ?? null,
    manual_note: s.manual?.note ?? null,
    manual_by: s.manual?.by ?? null,
    manual_ms: s.manual?.atMs ?? null,
    exempt_reason: s.exemption?.reason ?? null,
    exempt_by: s.exemption?.by ?? null,
    exempt_ms: s.exemption?.atMs ?? null,
    evaluated_ms: s.evaluatedMs ?? null,
    changed_ms: s.changedMs,
    done_since_ms: s.doneSinceMs ?? null,
  };
}

export function toStatus(r: any): StoredStatus {
  return {
    campaignId: r.campaign_id,
    entityRef: r.entity_ref,
    ...(r.owner ? { owner: r.owner } : {}),
    status: r.status,
    ...(r.detail !== null ? { detail: r.detail } : {}),
    ...(r.check_status ? { checkStatus: r.check_status } : {}),
    ...(r.check_detail !== null ? { checkDetail: r.check_detail } : {}),
    ...(r.cursor !== null ? { cursor: r.cursor } : {}),
    ...(r.degraded_reason
      ? {
          degraded: {
            reason: r.degraded_reason,
            message: str(r.degraded_message) ?? '',
            sinceMs: Number(r.degraded_since_ms),
          },
        }
      : {}),
    ...(r.manual_status
      ? {
          manual: {
            status: r.manual_status,
            note: str(r.manual_note) ?? '',
            by: r.manual_by,
            atMs: Number(r.manual_ms),
          },
        }
      : {}),
    ...(r.exempt_reason !== null
      ? {
          exemption: {
            reason: r.exempt_reason,
            by: r.exempt_by,
            atMs: Number(r.exempt_ms),
          },
        }
      : {}),
    ...(num(r.evaluated_ms) !== undefined
      ? { evaluatedMs: num(r.evaluated_ms) }
      : {}),
    changedMs: Number(r.changed_ms),
    ...(num(r.done_since_ms) !== undefined
      ? { doneSinceMs: num(r.done_since_ms) }
      : {}),
  };
}

const COLUMN_OF: Record<string, string> = { 'in-progress': 'in_progress' };
const column = (status: string) => COLUMN_OF[status] ?? status;

export function historyRow(campaignId: string, h: HistoryRow) {
  const row: Record<string, string | number> = {
    campaign_id: campaignId,
    day: h.day,
    team: h.team,
    total: h.counts.total,
  };
  for (const s of CAMPAIGN_STATUSES) row[column(s)] = h.counts[s];
  return row;
}

export function toHistory(r: any): HistoryRow {
  const counts: CampaignCounts = emptyCampaignCounts();
  for (const s of CAMPAIGN_STATUSES) counts[s] = Number(r[column(s)]);
  counts.total = Number(r.total);
  return { day: r.day, team: r.team, counts };
}
