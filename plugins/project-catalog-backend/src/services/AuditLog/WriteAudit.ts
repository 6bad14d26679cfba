import {
  AuditorService,
  BackstageCredentials,
  HttpAuthService,
} from '@backstage/backend-plugin-api';
import { JsonObject } from '@backstage/types';
import { Request } from 'express';
import { randomUUID } from 'node:crypto';
import { AuditLog } from './AuditLog';

/** Who is writing, and which request: what every audit row carries. */
export interface WriteContext {
  actor: string;
  requestId: string;
  credentials: BackstageCredentials;
}

/** The user's entity ref, or `service:<subject>` for a backend calling on its own behalf. */
export function actorOf(credentials: BackstageCredentials): string {
  const p = credentials.principal as {
    type: string;
    userEntityRef?: string;
    subject?: string;
  };
  if (p.type === 'user' && p.userEntityRef) return p.userEntityRef;
  if (p.type === 'service' && p.subject) return `service:${p.subject}`;
  return p.type;
}

/** Errors that mean the request was refused (bad input, no permission, conflict), not broken. */
const REFUSALS = new Set([
  'InputError',
  'NotAllowedError',
  'NotFoundError',
  'ConflictError',
  'AuthenticationError',
]);

/**
 * Audits writes twice over: through Backstage's auditor service (one event per request, with
 * its outcome) and in the plugin's own audit log, which can be queried per entity. A write that
 * succeeds records its own rows inside its transaction (so a write and its audit land together);
 * a write that is refused or fails gets one row here, outside any transaction.
 */
export class WriteAudit {
  constructor(
    private readonly log: AuditLog,
    private readonly auditor: AuditorService,
    private readonly httpAuth: HttpAuthService,
  ) {}

  /** The caller and the request id (the `x-request-id` header, or a new one). */
  async context(req: Request): Promise<WriteContext> {
    const credentials = await this.httpAuth.credentials(req);
    const header = req.header('x-request-id');
    const ctx = this.contextFor(
      credentials,
      header && /^[\w.:-]{1,128}$/.test(header) ? header : undefined,
    );
    req.res?.setHeader('x-request-id', ctx.requestId);
    return ctx;
  }

  /** The context of a write that has no HTTP request of its own (an action), with a new id. */
  contextFor(
    credentials: BackstageCredentials,
    requestId: string = randomUUID(),
  ): WriteContext {
    return { actor: actorOf(credentials), requestId, credentials };
  }

  /**
   * Runs one write. `fn` records its own audit rows on success; a thrown error is recorded as
   * refused or failed, with `entityRef` and `field` when known, and re-thrown. `req` is the HTTP
   * request, or undefined for a write made by an action (whose actor is in `ctx`).
   */
  async run<T>(
    req: Request | undefined,
    ctx: WriteContext,
    event: {
      action: string;
      entityRef?: string;
      field?: string;
      after?: unknown;
      meta?: JsonObject;
    },
    fn: () => Promise<T>,
  ): Promise<T> {
    const auditorEvent = await this.auditor.createEvent({
      eventId: event.action.replace(/\./g, '-'),
      ...(req ? { request: req } : {}),
      severityLevel: 'medium',
      meta: {
        ...event.meta,
        actor: ctx.actor,
        requestId: ctx.requestId,
        ...(event.entityRef ? { entityRef: event.entityRef } : {}),
      },
    });
    try {
      const result = await fn();
      await auditorEvent.success();
      return result;
    } catch (error) {
      const e = error as Error;
      const refused = REFUSALS.has(e.name);
      try {
        await this.log.record([
          {
            actor: ctx.actor,
            action: event.action,
            entityRef: event.entityRef,
            field: event.field,
            after: event.after,
            outcome: refused ? 'refused' : 'failed',
            reason: e.message,
            requestId: ctx.requestId,
          },
        ]);
      } catch {
        // The database is what failed: the auditor event below still records the attempt.
      }
      await auditorEvent.fail({ error: e });
      throw error;
    }
  }
}
