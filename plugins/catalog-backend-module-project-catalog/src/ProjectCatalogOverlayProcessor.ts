import { Entity } from '@backstage/catalog-model';
import {
  CatalogProcessor,
  CatalogProcessorEmit,
  processingResult,
} from '@backstage/plugin-catalog-node';
import {
  isUiCreated,
  mergeOverlays,
} from '@dash-suite/plugin-project-catalog-common';
import { OverlaySnapshot } from './OverlayCache';
import { normalizeEntityRef } from './normalizeEntityRef';

/**
 * The refresh key of entities processed before the feed ever loaded (they went through without
 * their overlays); the entity provider refreshes this key once the feed loads, so that they are
 * processed again right away instead of a processing interval later.
 */
export const FEED_PENDING_REFRESH_KEY = 'project-catalog:feed-pending';

/**
 * Merges the metadata edited in the Project Catalog UI into entities read from YAML (or any
 * other provider), before the catalog validates and stores them, so that catalog filters and
 * search see the edits. A field the entity itself defines keeps its value, and the edit is
 * reported in the `project-catalog/shadowed-fields` annotation (see `mergeOverlays`).
 *
 * Per entity this costs one Map lookup in the overlay cache's snapshot; the cache, not the
 * processor, decides when to ask the backend (at most once per revalidation window).
 * Entities created in the UI are skipped: the entity provider emits them whole. Before the feed
 * has ever loaded, entities pass through unchanged, tagged with `FEED_PENDING_REFRESH_KEY`.
 *
 * @public
 */
export class ProjectCatalogOverlayProcessor implements CatalogProcessor {
  private readonly cache: { get(): Promise<OverlaySnapshot> };

  constructor(options: { cache: { get(): Promise<OverlaySnapshot> } }) {
    this.cache = options.cache;
  }

  getProcessorName(): string {
    return 'ProjectCatalogOverlayProcessor';
  }

  async preProcessEntity(
    entity: Entity,
    _location: unknown,
    emit: CatalogProcessorEmit,
  ): Promise<Entity> {
    if (isUiCreated(entity)) return entity;
    const ref = normalizeEntityRef(entity);
    if (!ref) return entity;
    const { loaded, overlays } = await this.cache.get();
    if (!loaded) {
      emit(processingResult.refresh(FEED_PENDING_REFRESH_KEY));
      return entity;
    }
    const fields = overlays.get(ref);
    return fields ? mergeOverlays(entity, fields).entity : entity;
  }
}
