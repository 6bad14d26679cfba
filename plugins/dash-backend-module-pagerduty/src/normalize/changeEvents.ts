import { JsonValue } from '@backstage/types';
import { DASH_CHANGE_TYPES, DashEvent } from '@dash-suite/plugin-dash-common';
import { dashEventId, safeLink } from '@dash-suite/plugin-dash-node';
import { ChangeEvent } from '../schemas';
import { SOURCE_ID, iso, uiLink } from './common';

const CHANGE_TYPES = new Set<string>(DASH_CHANGE_TYPES);

function detail(
  details: Record<string, unknown> | null | undefined,
  ...keys: string[]
): string | undefined {
  for (const key of keys) {
    const value = details?.[key];
    if (typeof value === 'string' && value.trim()) return value.trim();
    if (typeof value === 'number') return String(value);
  }
  return undefined;
}

function truthy(value: unknown): boolean {
  return (
    value === true ||
    (typeof value === 'string' && /^(true|yes|1)$/i.test(value))
  );
}

/** Keeps JSON values only (custom details are arbitrary JSON), bounded in size. */
function jsonOnly(value: unknown, depth = 0): JsonValue | undefined {
  if (value === null) return null;
  if (typeof value === 'string') return value.slice(0, 1000);
  if (typeof value === 'number')
    return Number.isFinite(value) ? value : undefined;
  if (typeof value === 'boolean') return value;
  if (depth > 3) return undefined;
  if (Array.isArray(value)) {
    return value
      .slice(0, 50)
      .map(v => jsonOnly(v, depth + 1))
      .filter((v): v is JsonValue => v !== undefined);
  }
  if (typeof value === 'object') {
    const out: Record<string, JsonValue> = {};
    for (const [k, v] of Object.entries(value as object).slice(0, 50)) {
      const j = jsonOnly(v, depth + 1);
      if (j !== undefined) out[k] = j;
    }
    return out;
  }
  return undefined;
}

/**
 * A change event (deploys, config changes posted to PagerDuty by CI/CD): kind `change`, with
 * `changeType` from its custom details (`change_type`, `changeType` or `type`, when it is one of
 * DASH's change types) or `other`.
 */
export function changeEvent(
  change: ChangeEvent,
  entityRef: string,
  uiBaseUrl: string | undefined,
  serviceId: string,
): DashEvent | undefined {
  const startTime = iso(change.timestamp);
  if (!startTime) return undefined;
  const details = change.custom_details ?? undefined;
  const declared = detail(details, 'change_type', 'changeType', 'type')
    ?.toLocaleLowerCase('en-US')
    .replace(/[_ ]/g, '-');
  const changeType =
    declared && CHANGE_TYPES.has(declared) ? declared : 'other';
  const attributes: Record<string, JsonValue> = { changeType };
  if (change.source) attributes.changeSource = change.source;
  const environment = detail(details, 'environment', 'env');
  if (environment) attributes.environment = environment;
  const version = detail(details, 'version', 'release', 'tag');
  if (version) attributes.version = version;
  if (changeType === 'rollback' || truthy(details?.rollback))
    attributes.rollback = true;
  const links = (change.links ?? [])
    .map(l => ({ href: safeLink(l.href), text: l.text ?? undefined }))
    .filter((l): l is { href: string; text: string | undefined } =>
      Boolean(l.href),
    );
  if (links.length)
    attributes.links = links.map(l => ({
      href: l.href,
      ...(l.text ? { text: l.text } : {}),
    }));
  const custom = jsonOnly(details);
  if (custom && typeof custom === 'object' && !Array.isArray(custom))
    attributes.customDetails = custom;

  const event: DashEvent = {
    id: dashEventId(SOURCE_ID, 'change', change.id),
    source: SOURCE_ID,
    kind: 'change',
    title: change.summary ?? `Change ${change.id}`,
    severity: 'info',
    startTime,
    entityRef,
    status: 'success',
    attributes,
  };
  const actor = detail(details, 'actor', 'user', 'author', 'triggered_by');
  if (actor) event.actor = { name: actor };
  const url =
    links[0]?.href ??
    uiLink(
      uiBaseUrl,
      `service-directory/${encodeURIComponent(serviceId)}/activity`,
    );
  if (url) event.url = url;
  return event;
}
