import { AuthService } from '@backstage/backend-plugin-api';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { CatalogFeed } from '@dash-suite/plugin-project-catalog-common';

export const SLUG_ANNOTATION = 'github.com/project-slug';
export const PAGERDUTY_SERVICE_ANNOTATION = 'pagerduty.com/service-id';
export const PAGERDUTY_INTEGRATION_ANNOTATION = 'pagerduty.com/integration-key';
/** Optional, on Groups: the PagerDuty team the group is. */
export const PAGERDUTY_TEAM_ANNOTATION = 'pagerduty.com/team-id';

const lower = (s: string) => s.toLocaleLowerCase('en-US');
/** `Payments` and `team-payments` both become `payments`. */
const loose = (s: string) =>
  lower(s)
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^team-|-team$/g, '')
    .replace(/^-+|-+$/g, '');

/**
 * What the catalog already has, for deciding what discovery offers: repositories named by
 * `github.com/project-slug` (case-insensitive, on any host), Components by name (any namespace),
 * PagerDuty services named by `pagerduty.com/service-id` or `pagerduty.com/integration-key`, and
 * the Groups an owner can be matched to. UI-created projects and UI overlays count too, so a
 * project adopted or merged a moment ago is not offered again before the catalog has processed it.
 */
export class CatalogIndex {
  private readonly slugs = new Map<string, string>();
  private readonly componentNames = new Map<string, string>();
  private readonly pdServices = new Map<string, string>();
  private readonly pdIntegrationKeys = new Map<string, string>();
  private readonly groups = new Set<string>();
  private readonly groupsByPdTeam = new Map<string, string>();
  private readonly groupsByName = new Map<string, string>();

  static fromEntities(
    entities: Entity[],
    overlays: CatalogFeed['overlays'] = [],
  ): CatalogIndex {
    const index = new CatalogIndex();
    for (const e of entities) index.add(e);
    for (const o of overlays) {
      const slug = o.fields[`annotation:${SLUG_ANNOTATION}`];
      if (typeof slug === 'string') index.slugs.set(lower(slug), o.entityRef);
      const pd = o.fields[`annotation:${PAGERDUTY_SERVICE_ANNOTATION}`];
      if (typeof pd === 'string') index.pdServices.set(lower(pd), o.entityRef);
    }
    return index;
  }

  private add(entity: Entity) {
    const ref = lower(stringifyEntityRef(entity));
    const kind = lower(entity.kind);
    const annotations = entity.metadata.annotations ?? {};
    const slug = annotations[SLUG_ANNOTATION];
    if (slug) this.slugs.set(lower(slug.trim()), ref);
    const pd = annotations[PAGERDUTY_SERVICE_ANNOTATION];
    if (pd) this.pdServices.set(lower(pd.trim()), ref);
    const key = annotations[PAGERDUTY_INTEGRATION_ANNOTATION];
    if (key) this.pdIntegrationKeys.set(lower(key.trim()), ref);
    if (kind === 'component') {
      this.componentNames.set(lower(entity.metadata.name), ref);
    }
    if (kind === 'group') {
      this.groups.add(ref);
      const team = annotations[PAGERDUTY_TEAM_ANNOTATION];
      if (team) this.groupsByPdTeam.set(lower(team), ref);
      const profile = (entity.spec as { profile?: { displayName?: string } })
        ?.profile;
      for (const name of [
        entity.metadata.name,
        entity.metadata.title,
        profile?.displayName,
      ]) {
        if (name && !this.groupsByName.has(loose(name))) {
          this.groupsByName.set(loose(name), ref);
        }
      }
    }
  }

  /** The entity naming the repository `owner/name`, if any. */
  repository(slug: string): string | undefined {
    return this.slugs.get(lower(slug));
  }

  /** The Component of that name, in any namespace. */
  component(name: string): string | undefined {
    return this.componentNames.get(lower(name));
  }

  /** The entity naming the PagerDuty service (by id, or by one of its integration keys). */
  pagerDutyService(
    id: string,
    integrationKeys: string[] = [],
  ): string | undefined {
    return (
      this.pdServices.get(lower(id)) ??
      integrationKeys
        .map(k => this.pdIntegrationKeys.get(lower(k)))
        .find(Boolean)
    );
  }

  /** Whether any entity uses `pagerduty.com/integration-key` (then integrations are worth reading). */
  usesIntegrationKeys(): boolean {
    return this.pdIntegrationKeys.size > 0;
  }

  hasGroup(ref: string): boolean {
    return this.groups.has(lower(ref));
  }

  /**
   * The Group of a PagerDuty team: by `pagerduty.com/team-id`, else by name, title or profile
   * display name, compared without case and without a `team-` prefix (`Payments` is
   * `team-payments`).
   */
  groupForPagerDutyTeam(team: {
    id?: string;
    name?: string;
  }): string | undefined {
    return (
      (team.id ? this.groupsByPdTeam.get(lower(team.id)) : undefined) ??
      (team.name ? this.groupsByName.get(loose(team.name)) : undefined)
    );
  }
}

/** Reads the catalog (with the plugin's own credentials) and the UI's projects and overlays. */
export async function loadCatalogIndex(deps: {
  catalog: CatalogService;
  auth: AuthService;
  feed: () => Promise<CatalogFeed>;
}): Promise<CatalogIndex> {
  const { items } = await deps.catalog.getEntities(
    {
      filter: ['component', 'api', 'resource', 'system', 'group'].map(kind => ({
        kind,
      })),
      fields: [
        'kind',
        'metadata.name',
        'metadata.namespace',
        'metadata.title',
        'metadata.annotations',
        'spec.profile.displayName',
      ],
    },
    { credentials: await deps.auth.getOwnServiceCredentials() },
  );
  const feed = await deps.feed();
  return CatalogIndex.fromEntities([...items, ...feed.projects], feed.overlays);
}
