import { Config } from '@backstage/config';

/** The settings of the Project Catalog backend (`projectCatalog.*`), each with a default. */
export interface ProjectCatalogSettings {
  /** How long audit entries are kept. */
  auditRetentionMs: number;
}

const DAY = 24 * 3600_000;

function positiveNumber(config: Config, key: string, fallback: number): number {
  const value = config.getOptionalNumber(key);
  if (value === undefined) return fallback;
  if (!Number.isFinite(value) || value <= 0) {
    throw new Error(
      `Invalid config: ${key} must be a number greater than 0, got ${value}`,
    );
  }
  return value;
}

export function readProjectCatalogSettings(
  config: Config,
): ProjectCatalogSettings {
  return {
    auditRetentionMs:
      positiveNumber(config, 'projectCatalog.audit.retentionDays', 400) * DAY,
  };
}
