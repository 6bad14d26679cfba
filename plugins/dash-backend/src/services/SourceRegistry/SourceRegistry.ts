import {
  DashSourcesExtensionPoint,
  SignalSource,
} from '@dash-suite/plugin-dash-node';
import { CHANGES_SOURCE_ID } from '../ChangeIngest/changeIds';

/**
 * The sources that modules register through `dashSourcesExtensionPoint`: ids are lower-case
 * letters, digits and dashes, unique, and never the id of posted change events.
 */
export class SourceRegistry implements DashSourcesExtensionPoint {
  private readonly sources = new Map<string, SignalSource>();

  addSource(source: SignalSource): void {
    if (!/^[a-z0-9-]+$/.test(source.id) || source.id === CHANGES_SOURCE_ID) {
      throw new Error(
        `Invalid DASH source id '${source.id}': use lower-case letters, digits and dashes, not '${CHANGES_SOURCE_ID}'`,
      );
    }
    if (this.sources.has(source.id)) {
      throw new Error(
        `A DASH source with id '${source.id}' is already registered`,
      );
    }
    this.sources.set(source.id, source);
  }

  /** The registered sources, in the order they were added. */
  list(): SignalSource[] {
    return [...this.sources.values()];
  }
}
