import {
  CampaignCheckContext,
  CampaignCheckResult,
  CampaignCheckType,
} from '@dash-suite/plugin-project-catalog-node';
import { z } from 'zod';

const configSchema = z
  .object({
    /** What the owners are asked to do, shown with the campaign. */
    instructions: z.string().max(2000).optional(),
  })
  .strict();

export type ManualConfig = z.infer<typeof configSchema>;

/** The status the entity's owners set by hand, with their note. */
export const manualCheck: CampaignCheckType<ManualConfig> = {
  id: 'manual',
  title: 'Set by the owners',
  description:
    "The entity's owners set the status (pending, in progress, done) by hand, with a note.",
  configSchema,
  async evaluate({
    manual,
  }: CampaignCheckContext<ManualConfig>): Promise<CampaignCheckResult> {
    if (!manual) {
      return {
        status: 'pending',
        detail: 'Waiting for the owners to set a status',
      };
    }
    return { status: manual.status, detail: manual.note };
  },
};
