import { TimelineChanges } from '../TimelineSignals/TimelineSignals';

/**
 * A counter per entity, moved on every change of its stored events that this process makes
 * (a refresh that added or updated events, a change event posted to `/changes`), so that a
 * cached answer over those entities is not used after they changed. Changes made by another
 * backend process are not seen here: the answer cache's short lifetime bounds those.
 */
export class EntityVersions implements TimelineChanges {
  private readonly versions = new Map<string, number>();
  private readonly maxEntities: number;
  private epoch = 0;

  constructor(options: { maxEntities?: number } = {}) {
    this.maxEntities = options.maxEntities ?? 50_000;
  }

  changed(entityRef: string): void {
    const ref = entityRef.toLocaleLowerCase('en-US');
    const next = (this.versions.get(ref) ?? 0) + 1;
    this.versions.delete(ref);
    this.versions.set(ref, next);
    if (this.versions.size > this.maxEntities) {
      // Forgetting a counter could let an old answer look current: start every counter afresh
      // under a new epoch instead.
      this.epoch += 1;
      this.versions.clear();
    }
  }

  /** The versions of `refs`, as one string for a cache key. */
  of(refs: string[]): string {
    return `${this.epoch}:${refs
      .map(r => this.versions.get(r.toLocaleLowerCase('en-US')) ?? 0)
      .join(',')}`;
  }
}

/** Tells every listener of `TimelineChanges` (the Signals publisher and the entity versions). */
export function allChanges(
  ...listeners: Array<TimelineChanges | undefined>
): TimelineChanges {
  const present = listeners.filter((l): l is TimelineChanges => !!l);
  return {
    changed(entityRef, sourceId) {
      for (const l of present) l.changed(entityRef, sourceId);
    },
  };
}
