import { ActionsRegistryService } from '@backstage/backend-plugin-api/alpha';
import { InputError } from '@backstage/errors';
import type { z as Z3 } from 'zod/v3';
import {
  DashEvent,
  DashSourceState,
  HOUR_MS,
  dashUrl,
} from '@dash-suite/plugin-dash-common';
import { DashSettings } from '../config';
import { parseInput } from '../schema/parseInput';
import { windowQuerySchema } from '../schema/schemas';
import { resolveWindow } from '../schema/window';
import { TimelineService } from '../services/TimelineService/TimelineService';

/** What every DASH action is built from: the services the routes call, nothing of its own. */
export interface DashActionsOptions {
  actionsRegistry: ActionsRegistryService;
  timeline: TimelineService;
  settings: DashSettings;
  /** `app.baseUrl`, for the links into the DASH tab. */
  appBaseUrl?: string;
  clock?: () => number;
}

/** The window inputs an action takes: ISO bounds, or the last hours. */
export interface WindowInput {
  from?: string;
  to?: string;
  lastHours?: number;
}

/** Reads a window input the way the routes read theirs (same checks, same messages). */
export function actionWindow(
  input: WindowInput,
  options: DashActionsOptions,
  defaultMs: number,
): { from?: string; to?: string; window: { fromMs: number; toMs: number } } {
  const now = (options.clock ?? Date.now)();
  if (input.lastHours !== undefined && (input.from || input.to)) {
    throw new InputError(
      'lastHours: give either lastHours or from/to, not both',
    );
  }
  const from =
    input.lastHours !== undefined
      ? new Date(now - input.lastHours * HOUR_MS).toISOString()
      : input.from;
  const to =
    input.lastHours !== undefined ? new Date(now).toISOString() : input.to;
  // The same format checks as the routes' from/to.
  parseInput(windowQuerySchema.pick({ from: true, to: true }), { from, to });
  return {
    from,
    to,
    window: resolveWindow({
      from,
      to,
      defaultMs,
      maxWindowMs: options.settings.maxWindowMs,
      now,
    }),
  };
}

/** An event as an assistant needs it: what, when, where, and links. */
export interface CompactEvent {
  id: string;
  time: string;
  endTime?: string;
  entityRef: string;
  source: string;
  kind: string;
  title: string;
  severity: string;
  status?: string;
  version?: string;
  environment?: string;
  actor?: string;
  url?: string;
  dashUrl: string;
}

export function compactEvent(e: DashEvent, link: string): CompactEvent {
  const attr = (key: string) =>
    typeof e.attributes[key] === 'string'
      ? (e.attributes[key] as string)
      : undefined;
  const optional = {
    endTime: e.endTime,
    status: e.status,
    version: attr('version'),
    environment: attr('environment'),
    actor: e.actor?.name,
    url: e.url,
  };
  return {
    id: e.id,
    time: e.startTime,
    entityRef: e.entityRef,
    source: e.source,
    kind: e.kind,
    title: e.title,
    severity: e.severity,
    ...Object.fromEntries(
      Object.entries(optional).filter(([, v]) => v !== undefined),
    ),
    dashUrl: link,
  };
}

/** A link to one event on the tab of `entityRef`, over `window`. */
export function eventLink(
  options: DashActionsOptions,
  entityRef: string,
  window: { fromMs: number; toMs: number },
  eventId: string,
  dependencies = false,
) {
  return dashUrl(options.appBaseUrl, entityRef, window, {
    eventId,
    dependencies,
  });
}

export function compactSources(sources: DashSourceState[]) {
  return sources.map(s => ({
    id: s.id,
    entityRef: s.entityRef,
    status: s.status,
    ...(s.message ? { message: s.message } : {}),
  }));
}

/** The output schema of a compact event, built with the registry's zod. */
export function compactEventSchema(z: typeof Z3) {
  return z.object({
    id: z.string(),
    time: z.string().describe('ISO 8601, UTC'),
    endTime: z.string().optional(),
    entityRef: z.string(),
    source: z.string().describe('pagerduty, github, grafana, changes, ...'),
    kind: z.string(),
    title: z.string(),
    severity: z.string(),
    status: z.string().optional(),
    version: z.string().optional(),
    environment: z.string().optional(),
    actor: z.string().optional(),
    url: z.string().optional().describe("The event in its own system's UI"),
    dashUrl: z
      .string()
      .describe('The event selected on the DASH tab of its entity'),
  });
}

export function sourceStatesSchema(z: typeof Z3) {
  return z
    .array(
      z.object({
        id: z.string(),
        entityRef: z.string(),
        status: z.string(),
        message: z.string().optional(),
      }),
    )
    .describe(
      'Per source: ok, or why its events may be missing or old (unauthorized, rate-limited, timed-out, error, stale, ...)',
    );
}
