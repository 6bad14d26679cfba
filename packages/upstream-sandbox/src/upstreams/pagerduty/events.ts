/*
 * PagerDuty Events API v2, served on the PagerDuty port beside the REST API (the real one lives
 * on events.pagerduty.com under /v2): POST /v2/enqueue (trigger, acknowledge, resolve) and
 * POST /v2/change/enqueue. The routing_key is the service's Events API v2 integration key; no
 * Authorization header is needed. A trigger opens a real incident on that service (unless an
 * open one has the same dedup_key), acknowledge and resolve update it, and a change event joins
 * the service's change events: the REST routes then serve them.
 */
import crypto from 'node:crypto';
import { ScenarioService } from '../../types';
import { Ctx, HttpError, Reply, RouteDef } from '../../http/server';
import { ScenarioStore } from '../../scenario/store';
import { IdAllocator, newIncident } from '../../scenario/generate';
import { PdIncident, PdLogEntry } from '../../scenario/model';
import { Rng } from '../../random';
import { compare } from '../../util';
import { parseTime } from '../../time';

/** Incident numbers of incidents opened through the Events API: 50,000 and up. */
export const EVENTS_INCIDENT_BASE = 50_000;

const ACTIONS = ['trigger', 'acknowledge', 'resolve'];
const SEVERITIES = ['critical', 'error', 'warning', 'info'];

/** Whether a request is for the Events API (no REST token, its own error shape). */
export function isEventsPath(path: string): boolean {
  return path.startsWith('/v2/');
}

/** The Events API's error body: `{status, message, errors}`. */
export function eventsError(
  status: number,
  statusText: string,
  message: string,
  errors?: string[],
): Reply {
  return {
    status,
    body: { status: statusText, message, ...(errors ? { errors } : {}) },
  };
}

function invalidEvent(errors: string[]): HttpError {
  return new HttpError(
    eventsError(400, 'invalid event', 'Event object is invalid', errors),
  );
}

const blank = (v: unknown) =>
  v === undefined || v === null || (typeof v === 'string' && v.trim() === '');

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Checks routing_key and returns the service it routes to (400 when none). */
function routeOf(
  store: ScenarioStore,
  body: Record<string, unknown>,
  errors: string[],
): ScenarioService | undefined {
  const key = body.routing_key;
  if (blank(key)) errors.push("'routing_key' is missing or blank");
  else if (typeof key !== 'string' || key.length !== 32)
    errors.push(
      "Length of 'routing_key' is incorrect (should be 32 characters)",
    );
  if (errors.length) return undefined;
  const svc = store.serviceByRoutingKey(String(key).toLocaleLowerCase('en-US'));
  if (!svc) errors.push('Invalid routing key');
  return svc;
}

function bodyOf(ctx: Ctx): Record<string, unknown> {
  if (!isObject(ctx.body))
    throw new HttpError(
      eventsError(
        400,
        'Unrecognized object',
        'Event object format is unrecognized',
        ['JSON parse error'],
      ),
    );
  return ctx.body;
}

export function eventsRoutes(store: ScenarioStore): RouteDef[] {
  let opened = 0;

  const isOpen = (inc: PdIncident, asOf: number) =>
    inc.createdAt <= asOf &&
    !inc.log.some(e => e.type === 'resolve_log_entry' && e.at <= asOf);

  /** Acknowledged and not escalated (re-triggered) since. */
  const acknowledged = (inc: PdIncident, asOf: number) => {
    let acked = false;
    for (const e of inc.log) {
      if (e.at > asOf) break;
      if (e.type === 'acknowledge_log_entry') acked = true;
      if (e.type === 'escalate_log_entry') acked = false;
    }
    return acked;
  };

  function addEntry(
    inc: PdIncident,
    type: PdLogEntry['type'],
    at: number,
    summary: string,
  ) {
    const rng = new Rng(store.ctx.seed, 'events-v2-entry', inc.id, at);
    inc.log.push({
      id: `R${rng.alnum(13)}`,
      type,
      at,
      channel: 'api',
      summary,
    });
    inc.log.sort((a, b) => a.at - b.at);
  }

  function enqueue(ctx: Ctx): Reply {
    const body = bodyOf(ctx);
    const errors: string[] = [];
    const svc = routeOf(store, body, errors);
    const action = body.event_action;
    if (blank(action)) errors.push("'event_action' is missing or blank");
    else if (!ACTIONS.includes(String(action)))
      errors.push(
        `'event_action' is invalid (must be one of: ${ACTIONS.join(', ')})`,
      );
    const dedup = body.dedup_key;
    if (!blank(dedup) && typeof dedup !== 'string')
      errors.push("'dedup_key' must be a string");
    else if (typeof dedup === 'string' && dedup.length > 255)
      errors.push("'dedup_key' is too long (at most 255 characters)");
    if (
      action !== 'trigger' &&
      ACTIONS.includes(String(action)) &&
      blank(dedup)
    )
      errors.push("'dedup_key' is missing or blank");
    const payload = body.payload;
    if (action === 'trigger') {
      if (!isObject(payload)) errors.push("'payload' is missing or blank");
      else {
        for (const f of ['summary', 'source', 'severity'])
          if (blank(payload[f]))
            errors.push(`'payload.${f}' is missing or blank`);
        if (
          !blank(payload.severity) &&
          !SEVERITIES.includes(String(payload.severity))
        )
          errors.push(
            `'payload.severity' is invalid (must be one of: ${SEVERITIES.join(
              ', ',
            )})`,
          );
        if (
          !blank(payload.timestamp) &&
          parseTime(String(payload.timestamp)) === undefined
        )
          errors.push("'payload.timestamp' is not a valid ISO 8601 time");
      }
    }
    if (errors.length || !svc) throw invalidEvent(errors);

    const data = store.data(svc.index);
    const asOf = store.asOf();
    const key = blank(dedup)
      ? crypto.randomBytes(16).toString('hex')
      : String(dedup);
    const open = data.incidents.find(i => i.key === key && isOpen(i, asOf));
    if (action === 'trigger' && !open) {
      const p = payload as Record<string, unknown>;
      const summary = String(p.summary).slice(0, 1024);
      opened++;
      const inc = newIncident(
        store.ctx,
        {
          data,
          ids: new IdAllocator(svc.index),
          rng: new Rng(store.ctx.seed, 'events-v2', svc.index, opened, asOf),
        },
        svc,
        {
          number: EVENTS_INCIDENT_BASE + opened,
          title: summary,
          urgency: 'high',
          triggeredAt: asOf,
          description: summary,
        },
      );
      inc.key = key;
      data.incidents.sort(
        (a, b) => a.createdAt - b.createdAt || compare(a.id, b.id),
      );
    } else if (action === 'acknowledge' && open && !acknowledged(open, asOf)) {
      addEntry(
        open,
        'acknowledge_log_entry',
        asOf,
        'Acknowledged through the API.',
      );
    } else if (action === 'resolve' && open) {
      addEntry(open, 'resolve_log_entry', asOf, 'Resolved through the API.');
    }
    return {
      status: 202,
      body: { status: 'success', message: 'Event processed', dedup_key: key },
    };
  }

  function changeEnqueue(ctx: Ctx): Reply {
    const body = bodyOf(ctx);
    const errors: string[] = [];
    const svc = routeOf(store, body, errors);
    const payload = body.payload;
    let at = store.asOf();
    if (!isObject(payload)) errors.push("'payload' is missing or blank");
    else {
      if (blank(payload.summary))
        errors.push("'payload.summary' is missing or blank");
      if (!blank(payload.timestamp)) {
        const t = parseTime(String(payload.timestamp));
        if (t === undefined)
          errors.push("'payload.timestamp' is not a valid ISO 8601 time");
        else at = t;
      }
    }
    if (errors.length || !svc) throw invalidEvent(errors);
    const p = payload as Record<string, unknown>;
    const data = store.data(svc.index);
    const rng = new Rng(
      store.ctx.seed,
      'change-v2',
      svc.index,
      at,
      data.changeEvents.length,
    );
    const links = Array.isArray(body.links)
      ? body.links
          .filter(isObject)
          .filter(l => typeof l.href === 'string')
          .map(l => ({ href: String(l.href), text: String(l.text ?? l.href) }))
      : [];
    data.changeEvents.push({
      id: `01${rng.alnum(24)}`,
      summary: String(p.summary).slice(0, 1024),
      at,
      source: blank(p.source) ? '' : String(p.source),
      customDetails: (isObject(p.custom_details)
        ? p.custom_details
        : {}) as Record<string, string | number>,
      links,
    });
    data.changeEvents.sort((a, b) => a.at - b.at || compare(a.id, b.id));
    return {
      status: 202,
      body: { status: 'success', message: 'Change event processed' },
    };
  }

  return [
    { method: 'POST', path: '/v2/enqueue', handler: enqueue },
    { method: 'POST', path: '/v2/change/enqueue', handler: changeEnqueue },
  ];
}
