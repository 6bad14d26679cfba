import {
  Campaign,
  ProjectCatalogApi,
} from '@dash-suite/plugin-project-catalog-common';
import { messageOf, statusOf } from '../../lib/writeError';

/** Why a campaign write was not made, in the terms the form shows. */
export type CampaignWriteFailure =
  | {
      /** Someone else saved first: `current` is the campaign as it is now. */
      kind: 'version';
      current: Campaign;
      message: string;
    }
  | {
      /** A 400 (the backend's own checks), a 403, a 409 for a campaign from app-config ... */
      kind: 'message';
      status?: number;
      message: string;
    };

/**
 * Tells a version conflict from the other refusals of a campaign write, as `describeWriteError`
 * does for projects: a 409 carries the campaign as it is now in `current`; without it (a proxy
 * dropped the body) the campaign is read again, and a newer version is a conflict all the same.
 * A 409 on a campaign from app-config is not a version conflict: its message says so.
 */
export async function describeCampaignWriteError(
  error: unknown,
  options: { api: ProjectCatalogApi; id: string; version: number },
): Promise<CampaignWriteFailure> {
  const status = statusOf(error);
  const message = messageOf(error);
  if (status !== 409) return { kind: 'message', status, message };
  let current = (error as { body?: { current?: Campaign } })?.body?.current;
  if (!current) {
    try {
      current = await options.api.getCampaign(options.id);
    } catch {
      current = undefined;
    }
  }
  if (current && current.version !== options.version) {
    return { kind: 'version', current, message };
  }
  return { kind: 'message', status, message };
}
