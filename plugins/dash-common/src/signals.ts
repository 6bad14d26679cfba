/**
 * The DASH backend's "this entity's timeline changed" signal (Backstage Signals). It names the
 * entity and the sources that brought new or updated events, never the events themselves: a
 * listener refetches the timeline, which goes through the usual permission checks.
 */
export type DashTimelineSignal = {
  entityRef: string;
  /** Source ids whose events changed (`changes` for posted change events). */
  sources: string[];
};

/** The Signals channel of one entity's timeline: `dash:timeline:<entity ref, lower case>`. */
export function dashTimelineChannel(entityRef: string): string {
  return `dash:timeline:${entityRef.toLocaleLowerCase('en-US')}`;
}
