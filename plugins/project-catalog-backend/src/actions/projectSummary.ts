import { safeLink } from '@dash-suite/plugin-dash-common';
import {
  EDITABLE_ANNOTATIONS,
  PROJECT_TYPES,
  ProjectView,
  QuickLink,
} from '@dash-suite/plugin-project-catalog-common';
import type { z as Z3 } from 'zod/v3';
import {
  ANNOTATION_INTEGRATION_KEY,
  ANNOTATION_SERVICE_ID,
} from '../services/OnCall/OnCallPager';
import { entityPagePath } from '../services/ProjectService/DeprecationNotifier';

/** A quick link as an assistant needs it. */
export interface SummaryLink {
  title: string;
  url: string;
  group?: string;
  /** `catalog`: the entity's own (YAML) links; `ui`: added in the Project Catalog UI. */
  origin: 'catalog' | 'ui';
}

/** A project as the actions answer it: the Overview card, the quick links, the on-call route. */
export interface ProjectSummary {
  entityRef: string;
  title?: string;
  type?: string;
  owner?: string;
  system?: string;
  lifecycle?: string;
  tier?: string;
  tags: string[];
  description?: string;
  annotations: Record<string, string>;
  links: SummaryLink[];
  onCall: { pagerDutyServiceId?: string; canBePaged: boolean };
  origin: 'ui' | 'catalog';
  version: number;
  yamlOwnedFields: string[];
  definedIn?: string;
  updatedBy?: string;
  updatedAt?: string;
  entityUrl: string;
}

const linkKey = (l: { url: string; title?: string }) =>
  `${l.title ?? ''}\u0000${l.url}`;

/** The entity's own links, then those added in the UI; http(s) only, each URL once. */
function summaryLinks(view: ProjectView): SummaryLink[] {
  const stored = view.fields.find(f => f.key === 'links')?.overlay?.value;
  const uiLinks = Array.isArray(stored) ? (stored as QuickLink[]) : [];
  // The catalog's entity carries the UI links appended to its own: list those once, as UI links.
  const ui = new Set(uiLinks.map(linkKey));
  const seen = new Set<string>();
  const out: SummaryLink[] = [];
  const add = (link: SummaryLink) => {
    const url = safeLink(link.url);
    if (!url || seen.has(url)) return;
    seen.add(url);
    out.push({ ...link, url });
  };
  for (const l of view.entity?.metadata.links ?? []) {
    if (ui.has(linkKey(l))) continue;
    add({
      title: l.title || l.url,
      url: l.url,
      ...(l.type ? { group: l.type } : {}),
      origin: 'catalog',
    });
  }
  for (const l of uiLinks) {
    add({
      title: l.title,
      url: l.url,
      ...(l.group ? { group: l.group } : {}),
      origin: 'ui',
    });
  }
  return out;
}

/**
 * The compact form of a `ProjectView` (what `GET /projects/...` answers): each field's value as
 * the catalog serves it, or as the UI last stored it when the catalog has not caught up yet.
 */
export function projectSummary(
  view: ProjectView,
  appBaseUrl: string | undefined,
): ProjectSummary {
  const value = (key: string) => view.fields.find(f => f.key === key)?.value;
  const text = (key: string) => {
    const v = value(key);
    return typeof v === 'string' && v !== '' ? v : undefined;
  };
  const annotations: Record<string, string> = {};
  for (const name of EDITABLE_ANNOTATIONS) {
    const v = text(`annotation:${name}`);
    if (v) annotations[name] = v;
  }
  const serviceId = annotations[ANNOTATION_SERVICE_ID];
  const integrationKey =
    view.entity?.metadata.annotations?.[ANNOTATION_INTEGRATION_KEY];
  const tags = value('tags');
  const yamlOwned = view.fields.filter(f => f.owner === 'yaml');
  const optional = {
    title: text('title'),
    type: text('type'),
    owner: text('owner'),
    system: text('system'),
    lifecycle: text('lifecycle'),
    tier: text('tier'),
    description: text('description'),
  };
  return {
    entityRef: view.entityRef,
    ...dropUndefined(optional),
    tags: Array.isArray(tags) ? tags.map(String) : [],
    annotations,
    links: summaryLinks(view),
    onCall: {
      ...(serviceId ? { pagerDutyServiceId: serviceId } : {}),
      canBePaged: Boolean(serviceId || integrationKey?.trim()),
    },
    origin: view.origin,
    version: view.version,
    yamlOwnedFields: yamlOwned.map(f => f.key),
    ...dropUndefined({
      definedIn: yamlOwned.find(f => f.definedIn)?.definedIn,
      updatedBy: view.updatedBy,
      updatedAt: view.updatedAt,
    }),
    entityUrl: `${(appBaseUrl ?? '').replace(/\/+$/, '')}${entityPagePath(
      view.entityRef,
    )}`,
  };
}

function dropUndefined<T extends Record<string, unknown>>(o: T): Partial<T> {
  return Object.fromEntries(
    Object.entries(o).filter(([, v]) => v !== undefined),
  ) as Partial<T>;
}

/** The output schema of a `ProjectSummary`, built with the registry's zod. */
export function projectSummarySchema(z: typeof Z3) {
  return z.object({
    entityRef: z.string(),
    title: z.string().optional(),
    type: z
      .string()
      .optional()
      .describe(`The project type: ${PROJECT_TYPES.join(', ')}`),
    owner: z.string().optional().describe('The owning group, as an entity ref'),
    system: z.string().optional(),
    lifecycle: z
      .string()
      .optional()
      .describe('experimental, production, deprecated, ...'),
    tier: z.string().optional().describe('Criticality tier, like 1, 2, 3'),
    tags: z.array(z.string()),
    description: z.string().optional(),
    annotations: z
      .record(z.string())
      .describe(
        "The suite's annotations that are set (PagerDuty service, GitHub repository, Grafana and Kibana selectors)",
      ),
    links: z
      .array(
        z.object({
          title: z.string(),
          url: z.string(),
          group: z.string().optional(),
          origin: z
            .enum(['catalog', 'ui'])
            .describe(
              "catalog: the entity's own links; ui: added in the Project Catalog",
            ),
        }),
      )
      .describe('Quick links (http and https only)'),
    onCall: z
      .object({
        pagerDutyServiceId: z.string().optional(),
        canBePaged: z
          .boolean()
          .describe(
            'True when the entity names a PagerDuty service or integration key',
          ),
      })
      .describe(
        'How on-call is reached; who is on call now is answered by dash:who-is-on-call',
      ),
    origin: z
      .enum(['ui', 'catalog'])
      .describe(
        'ui: created in the Project Catalog (no YAML); catalog: from YAML or another provider',
      ),
    version: z
      .number()
      .describe('The version to send with update-project-metadata'),
    yamlOwnedFields: z
      .array(z.string())
      .describe(
        "Fields the entity's YAML defines; they are changed in the YAML, not with update-project-metadata",
      ),
    definedIn: z
      .string()
      .optional()
      .describe('The YAML file (location) that defines those fields'),
    updatedBy: z
      .string()
      .optional()
      .describe('Who made the last edit in the Project Catalog'),
    updatedAt: z.string().optional().describe('ISO 8601, UTC'),
    entityUrl: z.string().describe("The entity's page in Backstage"),
  });
}
