import { LoggerService } from '@backstage/backend-plugin-api';
import { Entity } from '@backstage/catalog-model';
import {
  DashLinksResponse,
  DASH_ENTITY_LINKS_SOURCE,
} from '@dash-suite/plugin-dash-common';
import { safeLink } from '@dash-suite/plugin-dash-node';
import { RefreshEngine } from '../RefreshEngine/RefreshEngine';
import { sourceBlock } from '../RefreshEngine/sourceChecks';

/**
 * Links into the upstreams' UIs for a window, from the sources that offer them, followed by
 * the entity's own links; only safe (http/https) URLs.
 */
export class LinksService {
  constructor(
    private readonly options: { engine: RefreshEngine; logger: LoggerService },
  ) {}

  links(
    entity: Entity,
    ref: string,
    window: { fromMs: number; toMs: number },
  ): DashLinksResponse {
    const { engine, logger } = this.options;
    const range = { from: new Date(window.fromMs), to: new Date(window.toMs) };
    const links = engine
      .sourcesFor(entity)
      .filter(s => s.getDeepLinks && !sourceBlock(s, entity, logger))
      .flatMap(s => {
        try {
          return s.getDeepLinks!(entity, range).flatMap(l => {
            const url = safeLink(l.url);
            return url
              ? [{ source: s.id, sourceTitle: s.title, title: l.title, url }]
              : [];
          });
        } catch (e) {
          logger.warn(`Links of source ${s.id} for ${ref} failed: ${e}`);
          return [];
        }
      });
    // The entity's own links (its YAML's and the quick links added in Project Catalog), so that
    // "Open in…" offers the runbook and dashboards the owners put there.
    for (const l of entity.metadata.links ?? []) {
      const url = safeLink(l.url);
      if (url) {
        links.push({
          source: DASH_ENTITY_LINKS_SOURCE,
          sourceTitle: 'Quick links',
          title: l.title || url,
          url,
        });
      }
    }
    return {
      entityRef: ref,
      from: range.from.toISOString(),
      to: range.to.toISOString(),
      links,
    };
  }
}
