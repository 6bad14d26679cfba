import { Entity } from '@backstage/catalog-model';
import { DashEvent } from '@dash-suite/plugin-dash-common';
import {
  FetchEventsRequest,
  FetchEventsResult,
  SignalSource,
  SourceContext,
} from '@dash-suite/plugin-dash-node';

/**
 * A SignalSource for tests: answers from a list of events (filtered to the request window),
 * through the guard like a real source, with controllable latency and failures, and counts
 * its upstream calls.
 */
export class FakeSource implements SignalSource {
  readonly calls: FetchEventsRequest[] = [];
  events: DashEvent[] = [];
  latencyMs = 0;
  failWith?: Error;
  hang = false;
  configured = true;
  /** Deep links it offers, given the window (none when undefined). */
  links?: (window: {
    from: Date;
    to: Date;
  }) => Array<{ title: string; url: string }>;

  constructor(
    readonly id: string,
    readonly title: string = id,
    private readonly annotation: string = `test/${id}`,
  ) {}

  appliesTo(candidate: Entity): boolean {
    return Boolean(candidate.metadata.annotations?.[this.annotation]);
  }

  getDeepLinks(_entity: Entity, window: { from: Date; to: Date }) {
    return this.links ? this.links(window) : [];
  }

  configurationProblem(): string | undefined {
    return this.configured
      ? undefined
      : `No ${this.title} credentials in app-config`;
  }

  async fetchEvents(
    request: FetchEventsRequest,
    context: SourceContext,
  ): Promise<FetchEventsResult> {
    return context.upstream.call(async signal => {
      this.calls.push(request);
      if (this.hang) {
        await new Promise((_, reject) =>
          signal.addEventListener('abort', () => reject(new Error('aborted'))),
        );
      }
      if (this.latencyMs) await new Promise(r => setTimeout(r, this.latencyMs));
      if (this.failWith) throw this.failWith;
      return {
        events: this.events.filter(e => {
          const t = Date.parse(e.startTime);
          return (
            e.entityRef === request.entityRef &&
            t >= request.from.getTime() &&
            t <= request.to.getTime()
          );
        }),
        cursor: `cursor-${this.calls.length}`,
      };
    });
  }
}

/** A Component with annotations and dependsOn relations (the shared helper of dash-node). */
export { testComponent as entity } from '@dash-suite/plugin-dash-node/testUtils';

/** A GitHub deploy of `entityRef` that started at `startMs`, titled by its id: what a FakeSource answers. */
export function deployEvent(
  id: string,
  entityRef: string,
  startMs: number,
): DashEvent {
  return {
    id,
    source: 'github',
    kind: 'deploy',
    title: id,
    severity: 'info',
    startTime: new Date(startMs).toISOString(),
    entityRef,
    attributes: {},
  };
}
