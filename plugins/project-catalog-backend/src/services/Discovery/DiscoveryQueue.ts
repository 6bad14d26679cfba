import { PermissionsService } from '@backstage/backend-plugin-api';
import {
  ConflictError,
  InputError,
  NotAllowedError,
  NotFoundError,
} from '@backstage/errors';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  AdoptEdits,
  CreateProjectRequest,
  DiscoveryStatus,
  DiscoverySuggestion,
  EditableAnnotation,
  parseOrThrow,
  projectCatalogDiscoveryReviewPermission,
} from '@dash-suite/plugin-project-catalog-common';
import { createProjectBodySchema } from '../../schema/projects';
import { AuditLog, AuditRecord } from '../AuditLog/AuditLog';
import { WriteContext } from '../AuditLog/WriteAudit';
import { ProjectService } from '../ProjectService/ProjectService';
import { VersionConflictError } from '../ProjectStore/ProjectStore';
import {
  DiscoveryStore,
  SuggestionPage,
  SuggestionQuery,
} from './DiscoveryStore';
import { DiscoveryTask } from './DiscoveryTask';

/** The lifecycle of an adopted project unless the reviewer gives one. */
export const DEFAULT_ADOPTED_LIFECYCLE = 'experimental';

/**
 * The review queue: lists suggestions, scans on request, and carries out the decisions. Adopting
 * creates a UI project through ProjectService.create (its permission, name check, 409 on a
 * clash, audit and announcement), merging writes the suggestion's annotations as overlays through
 * ProjectService.update (409 for a YAML-owned annotation); each then marks the suggestion decided,
 * with its own audit row, in one transaction.
 */
export class DiscoveryQueue {
  constructor(
    private readonly deps: {
      store: DiscoveryStore;
      task: DiscoveryTask;
      projects: ProjectService;
      permissions: PermissionsService;
      auditLog: AuditLog;
    },
  ) {}

  list(query: SuggestionQuery): Promise<SuggestionPage> {
    return this.deps.store.list(query);
  }

  status(): Promise<DiscoveryStatus> {
    return this.deps.task.status();
  }

  /** Scans now, and records who asked and how each upstream's scan ended. */
  async scan(ctx: WriteContext): Promise<DiscoveryStatus> {
    if (!this.deps.task.enabled) {
      throw new ConflictError(
        'Discovery is off (projectCatalog.discovery.enabled: false)',
      );
    }
    const status = await this.deps.task.run();
    await this.deps.auditLog.record([
      {
        actor: ctx.actor,
        action: 'discovery.scan',
        after: Object.fromEntries(status.upstreams.map(u => [u.id, u.status])),
        outcome: 'succeeded',
        requestId: ctx.requestId,
      },
    ]);
    return status;
  }

  /** Throws NotAllowedError unless the caller may review discovery. */
  async authorizeReview(ctx: WriteContext): Promise<void> {
    const [decision] = await this.deps.permissions.authorize(
      [{ permission: projectCatalogDiscoveryReviewPermission }],
      { credentials: ctx.credentials },
    );
    if (decision.result !== AuthorizeResult.ALLOW) {
      throw new NotAllowedError(
        `${ctx.actor} is not allowed to ${projectCatalogDiscoveryReviewPermission.name}`,
      );
    }
  }

  /** Adopts an open suggestion as a new UI project; answers the new entity ref. */
  async adopt(
    id: string,
    edits: AdoptEdits,
    ctx: WriteContext,
  ): Promise<string> {
    const s = await this.open(id);
    const request = parseOrThrow(
      createProjectBodySchema,
      adoptionRequest(s, edits),
      'edits',
    ) as CreateProjectRequest;
    const view = await this.deps.projects.create(request, ctx);
    // The project exists now: the suggestion is adopted even if someone decided it meanwhile.
    await this.deps.store.decide(
      id,
      {
        status: 'adopted',
        by: ctx.actor,
        entityRef: view.entityRef,
        audit: [auditRow(ctx, 'adopted', s, view.entityRef)],
      },
      ['open', 'ignored'],
    );
    return view.entityRef;
  }

  async ignore(id: string, reason: string, ctx: WriteContext): Promise<void> {
    const s = await this.open(id);
    await this.decideOpen(s, {
      status: 'ignored',
      by: ctx.actor,
      reason,
      audit: [auditRow(ctx, 'ignored', s, undefined, { reason })],
    });
  }

  /** Writes the suggestion's annotations on the entity as UI overlays; answers the entity ref. */
  async merge(
    id: string,
    entityRef: string,
    ctx: WriteContext,
  ): Promise<string> {
    const s = await this.open(id);
    const set = Object.fromEntries(
      Object.entries(s.annotations).map(([k, v]) => [`annotation:${k}`, v]),
    );
    for (let attempt = 1; ; attempt++) {
      const { version } = await this.deps.projects.get(
        entityRef,
        ctx.credentials,
      );
      try {
        await this.deps.projects.update(
          entityRef,
          { version, set, unset: [] },
          ctx,
        );
        break;
      } catch (error) {
        // Someone edited the entity between our read and write: read again, once.
        if (!(error instanceof VersionConflictError) || attempt >= 2)
          throw error;
      }
    }
    await this.decideOpen(s, {
      status: 'merged',
      by: ctx.actor,
      entityRef,
      audit: [auditRow(ctx, 'merged', s, entityRef, { set })],
    });
    return entityRef;
  }

  private async open(id: string): Promise<DiscoverySuggestion> {
    const s = await this.deps.store.get(id);
    if (!s) throw new NotFoundError(`No suggestion ${id}`);
    if (s.status !== 'open') {
      throw new ConflictError(
        `Suggestion ${id} is already ${s.status}${
          s.entityRef ? ` (${s.entityRef})` : ''
        }${s.decidedBy ? ` by ${s.decidedBy}` : ''}`,
      );
    }
    return s;
  }

  private async decideOpen(
    s: DiscoverySuggestion,
    decision: Parameters<DiscoveryStore['decide']>[1],
  ) {
    if (!(await this.deps.store.decide(s.id, decision, ['open']))) {
      throw new ConflictError(
        `Suggestion ${s.id} was decided by someone else meanwhile`,
      );
    }
  }
}

const ACTION_OF = {
  adopted: 'adopt',
  ignored: 'ignore',
  merged: 'merge',
} as const;

/** The audit row of a decision: the suggestion's status before and after, and the entity. */
function auditRow(
  ctx: WriteContext,
  status: keyof typeof ACTION_OF,
  s: DiscoverySuggestion,
  entityRef?: string,
  extra: Record<string, unknown> = {},
): AuditRecord {
  return {
    actor: ctx.actor,
    action: `discovery.${ACTION_OF[status]}`,
    entityRef,
    field: 'discovery.status',
    before: { suggestion: s.id, status: s.status },
    after: {
      suggestion: s.id,
      status,
      ...(entityRef ? { entityRef } : {}),
      ...extra,
    },
    outcome: 'succeeded',
    requestId: ctx.requestId,
  };
}

/** The project an adoption creates: the suggestion's values, with the reviewer's edits on top. */
export function adoptionRequest(
  s: DiscoverySuggestion,
  edits: AdoptEdits,
): CreateProjectRequest {
  const type = edits.type ?? s.type;
  const owner = edits.owner ?? s.owner;
  const missing = [!type && 'type', !owner && 'owner'].filter(Boolean);
  if (missing.length) {
    throw new InputError(
      missing
        .map(
          f =>
            `edits.${f}: required, discovery could not infer the ${f} of ${s.id}`,
        )
        .join('; '),
    );
  }
  const description = edits.description ?? s.description;
  const title = edits.title ?? s.title;
  return {
    name: edits.name ?? s.name,
    type: type!,
    owner: owner!,
    lifecycle: edits.lifecycle ?? DEFAULT_ADOPTED_LIFECYCLE,
    ...(title ? { title } : {}),
    ...(description ? { description } : {}),
    ...(edits.system ? { system: edits.system } : {}),
    ...(edits.tier ? { tier: edits.tier } : {}),
    ...(edits.tags?.length ? { tags: edits.tags } : {}),
    ...(s.links.length ? { links: s.links } : {}),
    annotations: s.annotations as Partial<Record<EditableAnnotation, string>>,
  };
}
