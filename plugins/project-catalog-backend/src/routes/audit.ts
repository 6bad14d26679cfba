import {
  AuthService,
  BackstageCredentials,
  HttpAuthService,
} from '@backstage/backend-plugin-api';
import { NotFoundError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  AuditEntry,
  parseOrThrow,
} from '@dash-suite/plugin-project-catalog-common';
import Router from 'express-promise-router';
import { auditQuerySchema } from '../schema/projects';
import { AuditLog } from '../services/AuditLog/AuditLog';
import { normalizeEntityRef } from './entityRef';

/** Pages of the log read to fill one answer when the caller may not read some entities. */
const MAX_SCANS = 10;

/**
 * `GET /audit`: the audit log per entity or across the catalog, newest first, with cursor paging.
 * An entry is shown only to callers who may read its entity. There is no route that changes it.
 */
export function auditRouter(options: {
  auditLog: AuditLog;
  catalog: CatalogService;
  httpAuth: HttpAuthService;
  auth: AuthService;
}) {
  const { auditLog, catalog, httpAuth, auth } = options;
  const router = Router();

  router.get('/audit', async (req, res) => {
    const q = parseOrThrow(auditQuerySchema, req.query);
    const credentials = await httpAuth.credentials(req);
    const limit = q.limit ?? 50;
    const base = {
      actor: q.actor,
      field: q.field,
      action: q.action,
      fromMs: q.from ? Date.parse(q.from) : undefined,
      toMs: q.to ? Date.parse(q.to) : undefined,
    };

    if (q.entityRef) {
      const entityRef = normalizeEntityRef(q.entityRef);
      if (!(await readableRefs([entityRef], credentials)).has(entityRef)) {
        throw new NotFoundError(`No entity ${entityRef} in the catalog`);
      }
      const page = await auditLog.query({
        ...base,
        entityRef,
        beforeId: q.cursor ? Number(q.cursor) : undefined,
        limit,
      });
      res.json(page);
      return;
    }

    // Across the catalog: drop entries of entities the caller may not read, and read further
    // pages until this one is full (bounded).
    const entries: AuditEntry[] = [];
    let cursor = q.cursor ? Number(q.cursor) : undefined;
    let exhausted = false;
    for (
      let scan = 0;
      scan < MAX_SCANS && entries.length < limit && !exhausted;
      scan++
    ) {
      const page = await auditLog.query({ ...base, beforeId: cursor, limit });
      const readable = await readableRefs(
        [
          ...new Set(
            page.entries.flatMap(e => (e.entityRef ? [e.entityRef] : [])),
          ),
        ],
        credentials,
      );
      let consumed = 0;
      for (const e of page.entries) {
        if (entries.length >= limit) break;
        consumed++;
        cursor = Number(e.id);
        if (!e.entityRef || readable.has(e.entityRef)) entries.push(e);
      }
      exhausted = !page.nextCursor && consumed === page.entries.length;
    }
    res.json(
      !exhausted && cursor !== undefined
        ? { entries, nextCursor: String(cursor) }
        : { entries },
    );
  });

  /**
   * Which entities' entries the caller may read, in two catalog requests at most: those the
   * caller can read, and those that no longer exist at all (a deleted project's history has no
   * entity left to protect). An entity that exists but is hidden from the caller stays hidden.
   */
  async function readableRefs(
    refs: string[],
    credentials: BackstageCredentials,
  ): Promise<Set<string>> {
    const readable = new Set<string>();
    if (!refs.length) return readable;
    const fields = ['kind', 'metadata.namespace', 'metadata.name'];
    const mine = await catalog.getEntitiesByRefs(
      { entityRefs: refs, fields },
      { credentials },
    );
    const unseen = refs.filter((ref, i) => {
      if (mine.items[i]) readable.add(ref);
      return !mine.items[i];
    });
    if (unseen.length) {
      const all = await catalog.getEntitiesByRefs(
        { entityRefs: unseen, fields },
        { credentials: await auth.getOwnServiceCredentials() },
      );
      unseen.forEach((ref, i) => {
        if (!all.items[i]) readable.add(ref);
      });
    }
    return readable;
  }

  return router;
}
