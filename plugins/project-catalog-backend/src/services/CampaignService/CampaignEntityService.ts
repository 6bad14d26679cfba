import {
  BackstageCredentials,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { Entity } from '@backstage/catalog-model';
import { ConflictError, InputError, NotFoundError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  CampaignEntityPage,
  CampaignEntityQuery,
  CampaignEntityStatus,
  CampaignManualStatus,
  EntityCampaign,
} from '@dash-suite/plugin-project-catalog-common';
import { AuditRecord } from '../AuditLog/AuditLog';
import { WriteContext } from '../AuditLog/WriteAudit';
import {
  matchesScope,
  normalizeScopeRef,
  ownerRefs,
} from '../CampaignEvaluator/scope';
import { withResolvedStatus } from '../CampaignEvaluator/statusRules';
import { CampaignStatusStore } from '../CampaignStore/CampaignStatusStore';
import { CampaignStore } from '../CampaignStore/CampaignStore';
import { StoredCampaign, StoredStatus } from '../CampaignStore/types';
import { authorizeManage, authorizeOwnerOrManager } from './authorize';
import {
  campaignView,
  decodeCursor,
  encodeCursor,
  entityStatusView,
} from './campaignView';

type Change = (
  current: StoredStatus | undefined,
  base: StoredStatus,
) => StoredStatus;

/**
 * Where entities stand in campaigns: pages of statuses (only entities the caller may read), an
 * entity's campaigns for its page, the owners' manual status with a note, and exemptions.
 */
export class CampaignEntityService {
  constructor(
    private readonly deps: {
      store: CampaignStore;
      statuses: CampaignStatusStore;
      catalog: CatalogService;
      permissions: PermissionsService;
      clock?: () => number;
    },
  ) {}

  private now() {
    return (this.deps.clock ?? Date.now)();
  }

  async page(
    campaignId: string,
    query: CampaignEntityQuery,
    credentials: BackstageCredentials,
  ): Promise<CampaignEntityPage> {
    await this.campaign(campaignId);
    const owner = query.owner
      ? normalizeScopeRef(query.owner, 'group')
      : undefined;
    if (query.owner && !owner)
      throw new InputError('owner: must be a group reference');
    const { items, hasMore } = await this.deps.statuses.query(campaignId, {
      status: query.status,
      owner,
      after: query.cursor ? decodeCursor(query.cursor) : undefined,
      limit: query.limit ?? 50,
    });
    // A page may hold fewer items than asked for when the caller may not read some entities.
    const readable = await this.readable(
      items.map(s => s.entityRef),
      credentials,
    );
    const last = items[items.length - 1];
    return {
      items: items.filter(s => readable.has(s.entityRef)).map(entityStatusView),
      ...(hasMore && last ? { nextCursor: encodeCursor(last.entityRef) } : {}),
    };
  }

  /** The campaigns whose scope holds the entity, with its status in each. */
  async ofEntity(
    entityRef: string,
    credentials: BackstageCredentials,
  ): Promise<EntityCampaign[]> {
    const entity = await this.entity(entityRef, credentials);
    const campaigns = (await this.deps.store.list()).filter(c =>
      matchesScope(entity, c.scope),
    );
    const tallies = await this.deps.store.tallies(campaigns.map(c => c.id));
    const statuses = new Map(
      (await this.deps.statuses.ofEntity(entityRef)).map(s => [
        s.campaignId,
        s,
      ]),
    );
    return campaigns.map(c => ({
      campaign: campaignView(c, tallies.get(c.id)),
      status: entityStatusView(
        statuses.get(c.id) ?? this.base(c, entityRef, entity, undefined),
      ),
    }));
  }

  /** The owners' status and note; on a campaign with an automatic check, `in-progress` only. */
  async setManual(
    campaignId: string,
    entityRef: string,
    body: { status: CampaignManualStatus; note: string },
    ctx: WriteContext,
  ): Promise<CampaignEntityStatus> {
    const { campaign, entity } = await this.target(
      campaignId,
      entityRef,
      ctx,
      'owner',
    );
    const manualCheck = campaign.check.type === 'manual';
    if (!manualCheck && body.status !== 'in-progress') {
      throw new InputError(
        `status: campaign ${campaignId} is decided by its ${campaign.check.type} check; owners may set in-progress with a note`,
      );
    }
    const manual = { ...body, by: ctx.actor, atMs: this.now() };
    return this.change(
      campaign,
      entity,
      entityRef,
      ctx,
      'campaign.status',
      'status',
      (_, base) => ({
        ...base,
        manual,
        ...(manualCheck
          ? { checkStatus: body.status, checkDetail: body.note }
          : {}),
      }),
    );
  }

  async clearManual(campaignId: string, entityRef: string, ctx: WriteContext) {
    const { campaign, entity } = await this.target(
      campaignId,
      entityRef,
      ctx,
      'owner',
    );
    const manualCheck = campaign.check.type === 'manual';
    return this.change(
      campaign,
      entity,
      entityRef,
      ctx,
      'campaign.status',
      'status',
      (_, base) => ({
        ...base,
        manual: undefined,
        ...(manualCheck
          ? { checkStatus: undefined, checkDetail: undefined }
          : {}),
      }),
    );
  }

  /** Campaign managers exempt an entity, with the reason. */
  async setExemption(
    campaignId: string,
    entityRef: string,
    reason: string,
    ctx: WriteContext,
  ): Promise<CampaignEntityStatus> {
    const { campaign, entity } = await this.target(
      campaignId,
      entityRef,
      ctx,
      'manager',
    );
    const exemption = { reason, by: ctx.actor, atMs: this.now() };
    return this.change(
      campaign,
      entity,
      entityRef,
      ctx,
      'campaign.exempt',
      'exemption',
      (_, base) => ({
        ...base,
        exemption,
      }),
    );
  }

  async clearExemption(
    campaignId: string,
    entityRef: string,
    ctx: WriteContext,
  ) {
    const { campaign, entity } = await this.target(
      campaignId,
      entityRef,
      ctx,
      'manager',
    );
    return this.change(
      campaign,
      entity,
      entityRef,
      ctx,
      'campaign.unexempt',
      'exemption',
      (_, base) => ({
        ...base,
        exemption: undefined,
      }),
    );
  }

  private async change(
    campaign: StoredCampaign,
    entity: Entity,
    entityRef: string,
    ctx: WriteContext,
    action: string,
    field: 'status' | 'exemption',
    fn: Change,
  ): Promise<CampaignEntityStatus> {
    const now = this.now();
    const shown = (s: StoredStatus | undefined) =>
      s &&
      (field === 'status'
        ? { status: s.status, ...(s.manual ? { note: s.manual.note } : {}) }
        : {
            status: s.status,
            ...(s.exemption ? { reason: s.exemption.reason } : {}),
          });
    const next = await this.deps.statuses.change(
      campaign.id,
      entityRef,
      current => {
        const {
          status: _s,
          detail: _d,
          changedMs: _c,
          doneSinceMs: _ds,
          ...rest
        } = fn(current, this.base(campaign, entityRef, entity, current));
        return withResolvedStatus(current, rest, now);
      },
      (current, after): AuditRecord[] => [
        {
          actor: ctx.actor,
          action,
          entityRef,
          field: `campaign:${campaign.id}/${field}`,
          before: shown(current),
          after: shown(after),
          outcome: 'succeeded',
          requestId: ctx.requestId,
        },
      ],
    );
    return entityStatusView(next);
  }

  /** The stored status, or a new pending one. */
  private base(
    campaign: StoredCampaign,
    entityRef: string,
    entity: Entity,
    current: StoredStatus | undefined,
  ): StoredStatus {
    return (
      current ??
      withResolvedStatus(
        undefined,
        { campaignId: campaign.id, entityRef, owner: ownerRefs(entity)[0] },
        this.now(),
      )
    );
  }

  private async target(
    campaignId: string,
    entityRef: string,
    ctx: WriteContext,
    who: 'owner' | 'manager',
  ) {
    const campaign = await this.campaign(campaignId);
    const entity = await this.entity(entityRef, ctx.credentials);
    if (who === 'owner') {
      await authorizeOwnerOrManager(this.deps.permissions, ctx, entityRef);
    } else {
      await authorizeManage(this.deps.permissions, ctx);
    }
    if (!matchesScope(entity, campaign.scope)) {
      throw new ConflictError(
        `${entityRef} is not in the scope of campaign ${campaignId}`,
      );
    }
    return { campaign, entity };
  }

  private async campaign(id: string): Promise<StoredCampaign> {
    const campaign = await this.deps.store.get(id);
    if (!campaign) throw new NotFoundError(`No campaign ${id}`);
    return campaign;
  }

  private async entity(entityRef: string, credentials: BackstageCredentials) {
    const entity = await this.deps.catalog.getEntityByRef(entityRef, {
      credentials,
    });
    if (!entity)
      throw new NotFoundError(`No entity ${entityRef} in the catalog`);
    return entity;
  }

  private async readable(refs: string[], credentials: BackstageCredentials) {
    const readable = new Set<string>();
    if (!refs.length) return readable;
    const { items } = await this.deps.catalog.getEntitiesByRefs(
      {
        entityRefs: refs,
        fields: ['kind', 'metadata.namespace', 'metadata.name'],
      },
      { credentials },
    );
    items.forEach((item, i) => {
      if (item) readable.add(refs[i]);
    });
    return readable;
  }
}
