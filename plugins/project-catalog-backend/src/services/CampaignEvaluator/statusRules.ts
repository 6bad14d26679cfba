import { CampaignStatus } from '@dash-suite/plugin-project-catalog-common';
import { StoredStatus } from '../CampaignStore/types';

/**
 * How an entity's status follows from what is known about it, most decisive first:
 * an exemption; a check that failed with an error; a check that says done; the owners' note that
 * work is in progress; the check's own answer; nothing yet (pending).
 */
export function resolveStatus(
  s: Pick<StoredStatus, 'checkStatus' | 'checkDetail' | 'manual' | 'exemption'>,
): { status: CampaignStatus; detail?: string } {
  if (s.exemption) return { status: 'exempt', detail: s.exemption.reason };
  if (s.checkStatus === 'error')
    return { status: 'error', detail: s.checkDetail };
  if (s.checkStatus === 'done')
    return { status: 'done', detail: s.checkDetail };
  if (s.manual?.status === 'in-progress') {
    return { status: 'in-progress', detail: s.manual.note || s.checkDetail };
  }
  if (s.checkStatus) return { status: s.checkStatus, detail: s.checkDetail };
  return { status: 'pending', detail: 'Not evaluated yet' };
}

/** The status as stored: resolved, with when it changed and since when it is done. */
export function withResolvedStatus(
  previous: StoredStatus | undefined,
  next: Omit<StoredStatus, 'status' | 'detail' | 'changedMs' | 'doneSinceMs'>,
  nowMs: number,
): StoredStatus {
  const { status, detail } = resolveStatus(next);
  const changed = !previous || previous.status !== status;
  return {
    ...next,
    status,
    ...(detail !== undefined ? { detail } : {}),
    changedMs: changed ? nowMs : previous.changedMs,
    ...(status === 'done'
      ? {
          doneSinceMs:
            previous?.status === 'done' && previous.doneSinceMs !== undefined
              ? previous.doneSinceMs
              : nowMs,
        }
      : {}),
  };
}

/** A done entity that is no longer done (an error or an exemption is not a regression). */
export function isRegression(
  previous: StoredStatus | undefined,
  next: StoredStatus,
): boolean {
  return (
    previous?.status === 'done' &&
    (next.status === 'failing' ||
      next.status === 'in-progress' ||
      next.status === 'pending')
  );
}
