import { LoggerService } from '@backstage/backend-plugin-api';
import { JsonObject } from '@backstage/types';
import { describeZodError } from '@dash-suite/plugin-project-catalog-common';
import { createCampaignBodySchema } from '../../schema/campaigns';
import { AuditRecord } from '../AuditLog/AuditLog';
import { CampaignStore } from '../CampaignStore/CampaignStore';
import { CampaignFields } from '../CampaignStore/types';
import { CampaignService, campaignChangeAudit } from './CampaignService';

/** The actor of changes that come from app-config. */
export const CONFIG_ACTOR = 'app-config';

const KEY = 'projectCatalog.campaigns.definitions';

/**
 * Makes the stored config-owned campaigns match `projectCatalog.campaigns.definitions`:
 * new ones are created, changed ones updated, and ones removed from config deleted, each with
 * its audit rows. A definition with an error is logged and skipped (its stored campaign is
 * kept); a campaign of the same id created in the UI is left alone. Replicas starting at once
 * may race; the loser's conflict is ignored.
 */
export async function applyConfigCampaigns(deps: {
  definitions: JsonObject[];
  store: CampaignStore;
  service: CampaignService;
  logger: LoggerService;
  clock?: () => number;
}): Promise<{ created: string[]; updated: string[]; deleted: string[] }> {
  const { store, service, logger } = deps;
  const now = (deps.clock ?? Date.now)();
  const result = {
    created: [] as string[],
    updated: [] as string[],
    deleted: [] as string[],
  };
  const declared = new Set<string>();
  const audit = (action: string) => ({
    actor: CONFIG_ACTOR,
    action,
    outcome: 'succeeded' as const,
  });

  for (const [i, definition] of deps.definitions.entries()) {
    if (typeof definition.id === 'string') declared.add(definition.id);
    const prefix = `${KEY}[${i}]`;
    let fields: CampaignFields;
    let id: string;
    try {
      const parsed = createCampaignBodySchema.safeParse(definition);
      if (!parsed.success)
        throw new Error(describeZodError(parsed.error, prefix));
      id = parsed.data.id;
      fields = service.normalize(parsed.data, prefix);
    } catch (error) {
      logger.error(`Campaign definition skipped: ${(error as Error).message}`);
      continue;
    }
    try {
      const current = await store.get(id);
      if (current && current.origin !== 'config') {
        logger.warn(
          `${prefix}.id: campaign ${id} was created in the UI; the definition in config is ignored`,
        );
        continue;
      }
      if (!current) {
        await store.create(
          {
            id,
            ...fields,
            origin: 'config',
            version: 1,
            createdBy: CONFIG_ACTOR,
            createdMs: now,
            updatedBy: CONFIG_ACTOR,
            updatedMs: now,
          },
          campaignChangeAudit(id, undefined, fields, audit('campaign.create')),
        );
        result.created.push(id);
        continue;
      }
      const rows: AuditRecord[] = campaignChangeAudit(
        id,
        current,
        fields,
        audit('campaign.update'),
      );
      if (!rows.length) continue;
      await store.update(
        id,
        current.version,
        { fields, actor: CONFIG_ACTOR },
        rows,
      );
      result.updated.push(id);
    } catch (error) {
      if ((error as Error).name !== 'ConflictError') throw error;
    }
  }

  for (const campaign of await store.list()) {
    if (campaign.origin !== 'config' || declared.has(campaign.id)) continue;
    try {
      await store.delete(
        campaign.id,
        campaign.version,
        campaignChangeAudit(
          campaign.id,
          campaign,
          undefined,
          audit('campaign.delete'),
        ),
      );
      result.deleted.push(campaign.id);
    } catch (error) {
      if (!['ConflictError', 'NotFoundError'].includes((error as Error).name))
        throw error;
    }
  }
  if (result.created.length + result.updated.length + result.deleted.length) {
    logger.info(
      `Campaigns from config: created ${
        result.created.join(', ') || 'none'
      }; updated ${result.updated.join(', ') || 'none'}; deleted ${
        result.deleted.join(', ') || 'none'
      }`,
    );
  }
  return result;
}
