import {
  SchedulerServiceTaskScheduleDefinition,
  readSchedulerServiceTaskScheduleDefinitionFromConfig,
} from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import { JsonObject } from '@backstage/types';
import { GithubSettings } from '../CampaignChecks/GithubContentsClient';

/** The settings of campaigns (`projectCatalog.campaigns.*`), each with a default. */
export interface CampaignSettings {
  /** When the evaluator runs. */
  schedule: SchedulerServiceTaskScheduleDefinition;
  /** Entities checked at once per campaign. */
  concurrency: number;
  /** How long one check of one entity may take. */
  checkTimeoutMs: number;
  /** How long before the deadline owners of entities not done are told. */
  deadlineWarningMs: number;
  /** Whether owners are notified at all. */
  notify: boolean;
  github: GithubSettings;
  /** Campaigns declared in config, as written (validated when they are applied). */
  definitions: JsonObject[];
}

const DAY = 86_400_000;
const PREFIX = 'projectCatalog.campaigns';

function positive(
  config: Config,
  key: string,
  fallback: number,
  max = Infinity,
) {
  const value = config.getOptionalNumber(`${PREFIX}.${key}`);
  if (value === undefined) return fallback;
  if (!Number.isFinite(value) || value <= 0 || value > max) {
    throw new Error(
      `Invalid config: ${PREFIX}.${key} must be a number greater than 0${
        max < Infinity ? ` and at most ${max}` : ''
      }, got ${value}`,
    );
  }
  return value;
}

function atLeastZero(config: Config, key: string, fallback: number) {
  const value = config.getOptionalNumber(`${PREFIX}.${key}`);
  if (value === undefined) return fallback;
  if (!Number.isFinite(value) || value < 0) {
    throw new Error(
      `Invalid config: ${PREFIX}.${key} must be 0 or more, got ${value}`,
    );
  }
  return value;
}

export function readCampaignSettings(config: Config): CampaignSettings {
  const schedule = config.has(`${PREFIX}.schedule`)
    ? readSchedulerServiceTaskScheduleDefinitionFromConfig(
        config.getConfig(`${PREFIX}.schedule`),
      )
    : {
        frequency: { minutes: 30 },
        timeout: { minutes: 20 },
        initialDelay: { seconds: 30 },
      };
  return {
    schedule,
    concurrency: Math.floor(positive(config, 'concurrency', 4, 64)),
    checkTimeoutMs: positive(config, 'checkTimeoutSeconds', 30) * 1000,
    deadlineWarningMs: positive(config, 'deadlineWarningDays', 7) * DAY,
    notify:
      config.getOptionalBoolean(`${PREFIX}.notifications.enabled`) ?? true,
    github: {
      host: config.getOptionalString(`${PREFIX}.github.host`) ?? 'github.com',
      perMinute: positive(config, 'github.requestsPerMinute', 300),
      reserve: atLeastZero(config, 'github.reserve', 500),
      maxWaitMs: atLeastZero(config, 'github.maxWaitSeconds', 10) * 1000,
      retries: Math.floor(atLeastZero(config, 'github.retries', 2)),
    },
    definitions: (
      config.getOptionalConfigArray(`${PREFIX}.definitions`) ?? []
    ).map(c => c.get<JsonObject>()),
  };
}
