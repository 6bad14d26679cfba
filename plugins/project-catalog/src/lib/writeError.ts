import { ResponseError } from '@backstage/errors';
import {
  ProjectCatalogApi,
  ProjectView,
} from '@dash-suite/plugin-project-catalog-common';

/** Why a write was not made, in the terms the forms show. */
export type WriteFailure =
  | {
      /** Someone else saved first: `current` is the project as it is now. */
      kind: 'version';
      current: ProjectView;
      message: string;
    }
  | {
      /** A 409 naming a YAML-owned field or a clashing name, a 403, a 400 ... */
      kind: 'message';
      status?: number;
      message: string;
    };

export function statusOf(error: unknown): number | undefined {
  return error instanceof ResponseError ||
    (error as ResponseError)?.name === 'ResponseError'
    ? (error as ResponseError).statusCode
    : undefined;
}

/** The server's own message, not the "Request failed with status ..." wrapper. */
export function messageOf(error: unknown): string {
  const e = error as ResponseError;
  const bodyMessage = e?.body?.error?.message;
  if (bodyMessage && !bodyMessage.startsWith('Request failed with status')) {
    return bodyMessage;
  }
  const raw = bodyMessage ?? e?.message ?? String(error);
  const json = raw.indexOf('{');
  if (json >= 0) {
    try {
      const parsed = JSON.parse(raw.slice(json));
      if (typeof parsed?.error?.message === 'string') {
        return parsed.error.message;
      }
    } catch {
      // not JSON: the raw message it is
    }
  }
  return raw;
}

function currentOf(error: unknown): ProjectView | undefined {
  const e = error as ResponseError & { body?: { current?: ProjectView } };
  return e?.body?.current;
}

/**
 * Tells a version conflict from the other refusals of a write. A 409 carries the project as it is
 * now in `current`; when it does not (a proxy dropped the body), the project is read again and a
 * newer version than the one the write was made on is a conflict all the same.
 */
export async function describeWriteError(
  error: unknown,
  options: { api: ProjectCatalogApi; entityRef: string; version: number },
): Promise<WriteFailure> {
  const status = statusOf(error);
  const message = messageOf(error);
  if (status !== 409) return { kind: 'message', status, message };
  let current = currentOf(error);
  if (!current) {
    try {
      current = await options.api.getProject(options.entityRef);
    } catch {
      current = undefined;
    }
  }
  if (current && current.version !== options.version) {
    return { kind: 'version', current, message };
  }
  return { kind: 'message', status, message };
}
