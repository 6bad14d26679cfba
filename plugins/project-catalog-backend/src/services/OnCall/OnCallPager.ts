import {
  LoggerService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import {
  InputError,
  NotAllowedError,
  NotFoundError,
  ServiceUnavailableError,
} from '@backstage/errors';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  PageOnCallRequest,
  PageOnCallResult,
  projectCatalogOnCallPagePermission,
} from '@dash-suite/plugin-project-catalog-common';
import { AuditLog } from '../AuditLog/AuditLog';
import { WriteContext } from '../AuditLog/WriteAudit';
import { UpstreamProblem } from '../Discovery/types';
import { PagerDutyClient } from '../pagerduty/PagerDutyClient';
import { OnCallSettings } from './config';

/** The annotation of the Backstage PagerDuty plugin that holds an Events API v2 key. */
export const ANNOTATION_INTEGRATION_KEY = 'pagerduty.com/integration-key';
export const ANNOTATION_SERVICE_ID = 'pagerduty.com/service-id';

/** An Events API v2 routing key: 32 letters and digits. */
const ROUTING_KEY = /^[a-z0-9]{32}$/i;

interface Route {
  routingKey: string;
  serviceId?: string;
  url?: string;
}

/**
 * Page on-call: opens a PagerDuty incident for an entity through the Events API v2, with the
 * caller's permission (`project-catalog.oncall.page` on the entity) and an audit row. The key
 * comes from the entity's `pagerduty.com/integration-key`, else from the Events API v2
 * integration of the service its `pagerduty.com/service-id` names (REST lookup). The platform
 * fetch posts the event: pdjs's `event()` always builds `https://<server>`, so it cannot reach a
 * plain-http sandbox or proxy.
 */
export class OnCallPager {
  constructor(
    private readonly deps: {
      settings: OnCallSettings;
      catalog: CatalogService;
      permissions: PermissionsService;
      auditLog: AuditLog;
      logger: LoggerService;
      fetch?: typeof fetch;
    },
  ) {}

  async page(
    entityRef: string,
    request: PageOnCallRequest,
    ctx: WriteContext,
  ): Promise<PageOnCallResult> {
    const entity = await this.deps.catalog.getEntityByRef(entityRef, {
      credentials: ctx.credentials,
    });
    if (!entity)
      throw new NotFoundError(`No entity ${entityRef} in the catalog`);
    const ref = stringifyEntityRef(entity);
    const [decision] = await this.deps.permissions.authorize(
      [{ permission: projectCatalogOnCallPagePermission, resourceRef: ref }],
      { credentials: ctx.credentials },
    );
    if (decision.result !== AuthorizeResult.ALLOW) {
      throw new NotAllowedError(
        `${ctx.actor} is not allowed to ${projectCatalogOnCallPagePermission.name} on ${ref}`,
      );
    }
    const route = await this.routeOf(entity, ref);
    const severity = request.severity ?? 'critical';
    const dedupKey = `backstage-${ctx.requestId}`.slice(0, 255);
    const answer = await this.enqueue({
      routing_key: route.routingKey,
      event_action: 'trigger',
      dedup_key: dedupKey,
      client: 'Backstage Project Catalog',
      ...(this.deps.settings.appBaseUrl
        ? {
            client_url: `${this.deps.settings.appBaseUrl}/catalog/${[
              entity.metadata.namespace ?? 'default',
              entity.kind,
              entity.metadata.name,
            ]
              .map(encodeURIComponent)
              .join('/')}`,
          }
        : {}),
      payload: {
        summary: request.summary,
        source: ref,
        severity,
        component: entity.metadata.name,
        class: 'manual page',
        custom_details: {
          paged_by: ctx.actor,
          entity: ref,
          ...(request.details ? { details: request.details } : {}),
        },
      },
    });
    const result: PageOnCallResult = {
      entityRef: ref,
      ...(route.serviceId ? { serviceId: route.serviceId } : {}),
      dedupKey: answer.dedupKey ?? dedupKey,
      message: answer.message,
      ...(route.url ? { url: route.url } : {}),
    };
    await this.deps.auditLog.record([
      {
        actor: ctx.actor,
        action: 'oncall.page',
        entityRef: ref,
        field: 'oncall',
        after: {
          summary: request.summary,
          severity,
          dedupKey: result.dedupKey,
          ...(route.serviceId ? { serviceId: route.serviceId } : {}),
        },
        outcome: 'succeeded',
        requestId: ctx.requestId,
      },
    ]);
    return result;
  }

  /** Where the page goes: the annotated key, or the service's Events API v2 integration. */
  private async routeOf(entity: Entity, ref: string): Promise<Route> {
    const annotations = entity.metadata.annotations ?? {};
    const key = annotations[ANNOTATION_INTEGRATION_KEY]?.trim();
    const serviceId = annotations[ANNOTATION_SERVICE_ID]?.trim() || undefined;
    const { account } = this.deps.settings;
    const serviceUrl =
      serviceId && account?.uiBaseUrl
        ? `${account.uiBaseUrl}/service-directory/${encodeURIComponent(
            serviceId,
          )}`
        : undefined;
    if (key) {
      if (!ROUTING_KEY.test(key)) {
        throw new InputError(
          `${ref} has a ${ANNOTATION_INTEGRATION_KEY} annotation that is not an Events API v2 integration key (32 letters and digits)`,
        );
      }
      return { routingKey: key, serviceId, url: serviceUrl };
    }
    if (!serviceId) {
      throw new InputError(
        `${ref} names no PagerDuty service: add the ${ANNOTATION_SERVICE_ID} or ${ANNOTATION_INTEGRATION_KEY} annotation`,
      );
    }
    if (!account) {
      throw new ServiceUnavailableError(
        `Cannot find the Events API v2 key of PagerDuty service ${serviceId}: no PagerDuty API key is configured (${this.deps.settings.tokenKey})`,
      );
    }
    const client = new PagerDutyClient(
      account,
      this.deps.settings.timeoutMs,
      this.deps.settings.tokenKey,
    );
    let service;
    try {
      service = await client.service(serviceId);
    } catch (error) {
      if (error instanceof UpstreamProblem) {
        throw new ServiceUnavailableError(error.message);
      }
      throw error;
    }
    if (!service) {
      throw new InputError(
        `PagerDuty has no service ${serviceId} (named by ${ref}'s ${ANNOTATION_SERVICE_ID} annotation)`,
      );
    }
    const integrations = service.integrations ?? [];
    const events =
      integrations.find(
        i =>
          i.type === 'events_api_v2_inbound_integration' &&
          typeof i.integration_key === 'string',
      ) ?? integrations.find(i => typeof i.integration_key === 'string');
    if (!events?.integration_key) {
      throw new InputError(
        `PagerDuty service ${serviceId} has no Events API v2 integration: add one in PagerDuty, or set ${ANNOTATION_INTEGRATION_KEY} on ${ref}`,
      );
    }
    return {
      routingKey: events.integration_key,
      serviceId,
      url: service.html_url ?? serviceUrl,
    };
  }

  /** POST /v2/enqueue; PagerDuty answers 202 `{status, message, dedup_key}`. */
  private async enqueue(
    event: Record<string, unknown>,
  ): Promise<{ message: string; dedupKey?: string }> {
    const url = `${this.deps.settings.eventsBaseUrl}/v2/enqueue`;
    const doFetch = this.deps.fetch ?? fetch;
    let response: Response;
    try {
      response = await doFetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(event),
        signal: AbortSignal.timeout(this.deps.settings.timeoutMs),
      });
    } catch (error) {
      this.deps.logger.warn(`Page on-call: POST ${url} failed: ${error}`);
      throw new ServiceUnavailableError(
        `PagerDuty's Events API did not answer (${
          (error as Error).name === 'TimeoutError'
            ? `no answer within ${this.deps.settings.timeoutMs} ms`
            : String((error as Error).message ?? error)
        }); nobody was paged`,
      );
    }
    const body = (await response.json().catch(() => ({}))) as {
      message?: unknown;
      dedup_key?: unknown;
      errors?: unknown;
    };
    const said = typeof body.message === 'string' ? body.message : '';
    if (response.status === 202 || response.ok) {
      return {
        message: said || 'Event processed',
        dedupKey:
          typeof body.dedup_key === 'string' ? body.dedup_key : undefined,
      };
    }
    const errors = Array.isArray(body.errors)
      ? body.errors.filter((e): e is string => typeof e === 'string')
      : [];
    const detail = [said, ...errors].filter(Boolean).join(': ');
    if (response.status === 400) {
      throw new InputError(
        `PagerDuty refused the page${
          detail ? ` (${detail})` : ''
        }; nobody was paged`,
      );
    }
    if (response.status === 429) {
      throw new ServiceUnavailableError(
        `PagerDuty's Events API is rate limiting this integration; nobody was paged, try again in a minute`,
      );
    }
    throw new ServiceUnavailableError(
      `PagerDuty's Events API answered ${response.status}${
        detail ? ` (${detail})` : ''
      }; nobody was paged`,
    );
  }
}
