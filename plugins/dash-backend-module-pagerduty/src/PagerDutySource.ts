import { LoggerService } from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import {
  ANNOTATION_PAGERDUTY_ACCOUNT,
  ANNOTATION_PAGERDUTY_SERVICE_ID,
  DashOnCallEntry,
} from '@dash-suite/plugin-dash-common';
import {
  DeepLink,
  FetchEventsRequest,
  FetchEventsResult,
  safeLink,
  SignalSource,
  SourceContext,
  UpstreamError,
  warnWithoutAllowList,
} from '@dash-suite/plugin-dash-node';
import {
  CONFIG_ROOT,
  DEFAULT_ACCOUNT,
  PagerDutySettings,
  readPagerDutySettings,
} from './config';
import { PagerDutyClient } from './PagerDutyClient';
import { SOURCE_ID } from './normalize';
import { readOnCallNow } from './readOnCall';
import { readTimeline } from './readTimeline';
import { ServiceRead } from './serviceRead';

const SERVICE_ID = /^[A-Z0-9]{1,64}$/i;
const ACCOUNT_NAME = /^[\w-]{1,64}$/;

interface Target {
  client: PagerDutyClient;
  serviceId: string;
}

/**
 * PagerDuty as a DASH source: the service's incidents and their log entries, its change events
 * and the on-call hand-offs of its escalation policy, and who is on call now.
 */
export class PagerDutySource implements SignalSource {
  readonly id = SOURCE_ID;
  readonly title = 'PagerDuty';
  private readonly clients = new Map<string, PagerDutyClient>();

  static fromConfig(config: Config, logger: LoggerService): PagerDutySource {
    return new PagerDutySource(readPagerDutySettings(config), logger);
  }

  constructor(
    private readonly settings: PagerDutySettings,
    logger: LoggerService,
  ) {
    for (const [name, account] of settings.accounts) {
      this.clients.set(
        name,
        new PagerDutyClient({
          account,
          retryTimeoutMs: settings.retryTimeoutMs,
          pageSize: settings.pageSize,
          maxPages: settings.maxPages,
          logger,
        }),
      );
    }
    for (const [name, problem] of settings.problems) {
      logger.warn(`PagerDuty account '${name}' is not usable: ${problem}`);
    }
    const open = [...settings.accounts.values()].filter(a => !a.allow);
    if (open.length) {
      warnWithoutAllowList(
        logger,
        'PagerDuty',
        ANNOTATION_PAGERDUTY_SERVICE_ID,
        [...new Set(open.map(a => a.allowKey))].join(' and '),
      );
    }
  }

  appliesTo(entity: Entity): boolean {
    return Boolean(
      entity.metadata.annotations?.[ANNOTATION_PAGERDUTY_SERVICE_ID]?.trim(),
    );
  }

  configurationProblem(entity: Entity): string | undefined {
    return this.resolve(entity).problem;
  }

  /** `not-allowed` for a service outside its account's `allow.services`. */
  accessProblem(entity: Entity): string | undefined {
    const { target } = this.resolve(entity);
    const allow = target?.client.account.allow;
    if (!target || !allow || allow.allows(target.serviceId)) return undefined;
    return `PagerDuty service ${target.serviceId} is not in ${target.client.account.allowKey}, the services DASH may read`;
  }

  private resolve(entity: Entity): { target?: Target; problem?: string } {
    const annotations = entity.metadata.annotations ?? {};
    const serviceId =
      annotations[ANNOTATION_PAGERDUTY_SERVICE_ID]?.trim() ?? '';
    if (!SERVICE_ID.test(serviceId)) {
      return {
        problem: `The ${ANNOTATION_PAGERDUTY_SERVICE_ID} annotation '${serviceId.slice(
          0,
          80,
        )}' is not a PagerDuty service id (letters and digits, e.g. PABC123)`,
      };
    }
    const accountName =
      annotations[ANNOTATION_PAGERDUTY_ACCOUNT]?.trim() || DEFAULT_ACCOUNT;
    if (!ACCOUNT_NAME.test(accountName)) {
      return {
        problem: `The ${ANNOTATION_PAGERDUTY_ACCOUNT} annotation '${accountName.slice(
          0,
          80,
        )}' is not an account name (letters, digits, _ and -)`,
      };
    }
    const client = this.clients.get(accountName);
    if (client) return { target: { client, serviceId } };
    const problem = this.settings.problems.get(accountName);
    if (problem) return { problem: `PagerDuty is not configured: ${problem}` };
    return {
      problem:
        accountName === DEFAULT_ACCOUNT
          ? `PagerDuty is not configured: ${CONFIG_ROOT}.token is missing`
          : `PagerDuty is not configured: there is no account '${accountName}' under ${CONFIG_ROOT}.accounts`,
    };
  }

  private target(entity: Entity): Target {
    const { target, problem } = this.resolve(entity);
    if (!target) throw new UpstreamError('not-configured', problem!);
    const denied = this.accessProblem(entity);
    if (denied) throw new UpstreamError('not-allowed', denied);
    return target;
  }

  /** What one read of the entity's PagerDuty service needs. */
  private serviceRead(entity: Entity, context: SourceContext): ServiceRead {
    const { client, serviceId } = this.target(entity);
    const { upstream, logger } = context;
    return { client, serviceId, settings: this.settings, upstream, logger };
  }

  async fetchEvents(
    request: FetchEventsRequest,
    context: SourceContext,
  ): Promise<FetchEventsResult> {
    return readTimeline(this.serviceRead(request.entity, context), request);
  }

  async getOnCall(
    entity: Entity,
    context: SourceContext,
  ): Promise<DashOnCallEntry[]> {
    return readOnCallNow(
      this.serviceRead(entity, context),
      stringifyEntityRef(entity).toLocaleLowerCase('en-US'),
    );
  }

  getDeepLinks(entity: Entity): DeepLink[] {
    const { target } = this.resolve(entity);
    const ui = target?.client.account.uiBaseUrl;
    if (!target || !ui || this.accessProblem(entity)) return [];
    const url = safeLink(
      `${ui}/service-directory/${encodeURIComponent(target.serviceId)}`,
    );
    return url ? [{ title: 'PagerDuty service', url }] : [];
  }
}
