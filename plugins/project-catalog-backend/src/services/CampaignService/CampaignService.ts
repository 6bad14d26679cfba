import {
  LoggerService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { ConflictError, InputError, NotFoundError } from '@backstage/errors';
import {
  Campaign,
  CampaignCheckTypeInfo,
  CampaignHistory,
} from '@dash-suite/plugin-project-catalog-common';
import { AuditLog, AuditRecord } from '../AuditLog/AuditLog';
import { WriteContext } from '../AuditLog/WriteAudit';
import { CampaignCheckRegistry } from '../CampaignChecks/CheckRegistry';
import {
  CampaignEvaluator,
  EvaluationSummary,
  utcDay,
} from '../CampaignEvaluator/CampaignEvaluator';
import { normalizeScope, normalizeScopeRef } from '../CampaignEvaluator/scope';
import { CampaignStatusStore } from '../CampaignStore/CampaignStatusStore';
import { CampaignStore } from '../CampaignStore/CampaignStore';
import { CampaignFields, StoredCampaign } from '../CampaignStore/types';
import { authorizeManage } from './authorize';
import { burnUpPoints } from './burnUp';
import { campaignView } from './campaignView';

/** A campaign as written by a person or by config: times in ms, not yet normalized. */
export interface CampaignInput {
  title: string;
  description?: string;
  owner: string;
  startsAt: number;
  deadline: number;
  scope: StoredCampaign['scope'];
  check: StoredCampaign['check'];
}

const FIELD_KEYS = [
  'title',
  'description',
  'owner',
  'startsMs',
  'deadlineMs',
  'scope',
  'check',
] as const;
const API_NAME: Record<(typeof FIELD_KEYS)[number], string> = {
  title: 'title',
  description: 'description',
  owner: 'owner',
  startsMs: 'startsAt',
  deadlineMs: 'deadline',
  scope: 'scope',
  check: 'check',
};

const iso = (ms: number) => new Date(ms).toISOString();
const apiValue = (key: (typeof FIELD_KEYS)[number], v: unknown) =>
  (key === 'startsMs' || key === 'deadlineMs') && typeof v === 'number'
    ? iso(v)
    : v;

/** The field-by-field audit rows of a change (`field` is `campaign:<id>/<field>`). */
export function campaignChangeAudit(
  id: string,
  before: CampaignFields | undefined,
  after: CampaignFields | undefined,
  base: Omit<AuditRecord, 'field' | 'before' | 'after'>,
): AuditRecord[] {
  if (!before || !after) {
    const fields = (f?: CampaignFields) =>
      f &&
      Object.fromEntries(FIELD_KEYS.map(k => [API_NAME[k], apiValue(k, f[k])]));
    return [
      {
        ...base,
        field: `campaign:${id}`,
        before: fields(before),
        after: fields(after),
      },
    ];
  }
  return FIELD_KEYS.filter(
    k => JSON.stringify(before[k]) !== JSON.stringify(after[k]),
  ).map(k => ({
    ...base,
    field: `campaign:${id}/${API_NAME[k]}`,
    before: apiValue(k, before[k]),
    after: apiValue(k, after[k]),
  }));
}

/**
 * Campaign definitions: read, create, change, delete (campaign managers only; campaigns from
 * config are read-only), their burn-up history, and evaluation on demand.
 */
export class CampaignService {
  constructor(
    private readonly deps: {
      store: CampaignStore;
      statuses: CampaignStatusStore;
      checks: CampaignCheckRegistry;
      evaluator: CampaignEvaluator;
      permissions: PermissionsService;
      auditLog: AuditLog;
      logger: LoggerService;
      clock?: () => number;
    },
  ) {}

  private now() {
    return (this.deps.clock ?? Date.now)();
  }

  /** The fields as stored: refs normalized, the check's settings parsed (defaults applied). */
  normalize(input: CampaignInput, prefix = ''): CampaignFields {
    const at = (key: string) => (prefix ? `${prefix}.${key}` : key);
    const owner = normalizeScopeRef(input.owner, 'group');
    if (!owner) {
      throw new InputError(`${at('owner')}: must be a group reference`);
    }
    const config = this.deps.checks.parse(input.check, at('check'));
    return {
      title: input.title,
      ...(input.description ? { description: input.description } : {}),
      owner,
      startsMs: input.startsAt,
      deadlineMs: input.deadline,
      scope: normalizeScope(input.scope),
      check: {
        type: input.check.type,
        config: JSON.parse(JSON.stringify(config ?? {})),
      },
    };
  }

  async list(): Promise<Campaign[]> {
    const campaigns = await this.deps.store.list();
    const tallies = await this.deps.store.tallies(campaigns.map(c => c.id));
    return campaigns.map(c => campaignView(c, tallies.get(c.id)));
  }

  async get(id: string): Promise<Campaign> {
    const campaign = await this.require(id);
    const tallies = await this.deps.store.tallies([id]);
    return campaignView(campaign, tallies.get(id));
  }

  async require(id: string): Promise<StoredCampaign> {
    const campaign = await this.deps.store.get(id);
    if (!campaign) throw new NotFoundError(`No campaign ${id}`);
    return campaign;
  }

  async create(
    id: string,
    input: CampaignInput,
    ctx: WriteContext,
  ): Promise<Campaign> {
    await authorizeManage(this.deps.permissions, ctx);
    const fields = this.normalize(input);
    const now = this.now();
    const campaign: StoredCampaign = {
      id,
      ...fields,
      origin: 'ui',
      version: 1,
      createdBy: ctx.actor,
      createdMs: now,
      updatedBy: ctx.actor,
      updatedMs: now,
    };
    await this.deps.store.create(
      campaign,
      campaignChangeAudit(
        id,
        undefined,
        fields,
        this.auditBase(ctx, 'campaign.create'),
      ),
    );
    return this.get(id);
  }

  async update(
    id: string,
    change: Partial<CampaignInput> & { version: number },
    ctx: WriteContext,
  ): Promise<Campaign> {
    await authorizeManage(this.deps.permissions, ctx);
    const current = await this.require(id);
    this.refuseConfigOwned(current);
    const merged: CampaignInput = {
      title: change.title ?? current.title,
      description:
        'description' in change ? change.description : current.description,
      owner: change.owner ?? current.owner,
      startsAt: change.startsAt ?? current.startsMs,
      deadline: change.deadline ?? current.deadlineMs,
      scope: change.scope ?? current.scope,
      check: change.check ?? current.check,
    };
    if (merged.deadline <= merged.startsAt) {
      throw new InputError(
        `deadline: must be after startsAt (${iso(merged.startsAt)}), got ${iso(
          merged.deadline,
        )}`,
      );
    }
    const fields = this.normalize(merged);
    await this.deps.store.update(
      id,
      change.version,
      { fields, actor: ctx.actor },
      campaignChangeAudit(
        id,
        current,
        fields,
        this.auditBase(ctx, 'campaign.update'),
      ),
    );
    return this.get(id);
  }

  async delete(id: string, version: number, ctx: WriteContext): Promise<void> {
    await authorizeManage(this.deps.permissions, ctx);
    const current = await this.require(id);
    this.refuseConfigOwned(current);
    await this.deps.store.delete(
      id,
      version,
      campaignChangeAudit(
        id,
        current,
        undefined,
        this.auditBase(ctx, 'campaign.delete'),
      ),
    );
  }

  /** Evaluates the campaign now; with `wait`, answers when done, else when started. */
  async evaluate(
    id: string,
    wait: boolean,
    ctx: WriteContext,
  ): Promise<EvaluationSummary | { campaignId: string; state: 'running' }> {
    await authorizeManage(this.deps.permissions, ctx);
    await this.require(id);
    const run = this.deps.evaluator.evaluate(id);
    await this.deps.auditLog.record([
      { ...this.auditBase(ctx, 'campaign.evaluate'), field: `campaign:${id}` },
    ]);
    if (wait) return run;
    run.catch(error =>
      this.deps.logger.warn(`Evaluation of campaign ${id} failed: ${error}`),
    );
    return { campaignId: id, state: 'running' };
  }

  /** Daily counts for the burn-up: the whole campaign, one team, or every team. */
  async history(
    id: string,
    query: { team?: string; byTeam?: boolean; from?: string; to?: string },
  ): Promise<CampaignHistory> {
    await this.require(id);
    const team = query.team
      ? normalizeScopeRef(query.team, 'group')
      : undefined;
    if (query.team && !team)
      throw new InputError('team: must be a group reference');
    const today = utcDay(this.now());
    const until = query.to && query.to < today ? query.to : today;
    const rows = await this.deps.statuses.history(id, {
      team,
      byTeam: query.byTeam,
      fromDay: query.from,
      toDay: query.to,
    });
    return { campaignId: id, points: burnUpPoints(rows, until) };
  }

  checkTypes(): CampaignCheckTypeInfo[] {
    return this.deps.checks.info();
  }

  private refuseConfigOwned(campaign: StoredCampaign) {
    if (campaign.origin === 'config') {
      throw new ConflictError(
        `Campaign ${campaign.id} is defined in app-config (projectCatalog.campaigns.definitions); change it there`,
      );
    }
  }

  private auditBase(ctx: WriteContext, action: string) {
    return {
      actor: ctx.actor,
      action,
      outcome: 'succeeded' as const,
      requestId: ctx.requestId,
    };
  }
}
