import { InputError } from '@backstage/errors';
import {
  CampaignCheck,
  CampaignCheckTypeInfo,
  parseOrThrow,
} from '@dash-suite/plugin-project-catalog-common';
import {
  CAMPAIGN_CHECK_TYPE_ID,
  CampaignCheckType,
} from '@dash-suite/plugin-project-catalog-node';
import { z } from 'zod';

/** The campaign check types: the built-ins and those that modules added. */
export class CampaignCheckRegistry {
  private readonly types = new Map<string, CampaignCheckType>();

  /** Adds a check type; throws on a bad or taken id (a module's mistake, seen at startup). */
  add(type: CampaignCheckType): void {
    if (!CAMPAIGN_CHECK_TYPE_ID.test(type.id)) {
      throw new Error(
        `Campaign check type id '${type.id}' must be lower-case letters, digits and dashes`,
      );
    }
    if (this.types.has(type.id)) {
      throw new Error(`Campaign check type '${type.id}' is already registered`);
    }
    this.types.set(type.id, type);
  }

  get(id: string): CampaignCheckType | undefined {
    return this.types.get(id);
  }

  ids(): string[] {
    return [...this.types.keys()];
  }

  /**
   * The check's settings parsed with its type's schema; an InputError naming the field
   * (`check.type`, `check.config.path`) when the type is unknown or a setting is wrong.
   */
  parse(check: CampaignCheck, prefix = 'check'): unknown {
    const type = this.types.get(check.type);
    if (!type) {
      throw new InputError(
        `${prefix}.type: unknown check type '${
          check.type
        }'; known types are ${this.ids().join(', ')}`,
      );
    }
    return parseOrThrow(type.configSchema, check.config, `${prefix}.config`);
  }

  /** Every type with its settings as JSON schema, for the campaign form. */
  info(): CampaignCheckTypeInfo[] {
    return [...this.types.values()].map(t => ({
      id: t.id,
      title: t.title,
      description: t.description,
      configSchema: z.toJSONSchema(t.configSchema, {
        io: 'input',
        unrepresentable: 'any',
      }) as Record<string, unknown>,
    }));
  }
}
