import { CacheService, LoggerService } from '@backstage/backend-plugin-api';
import { Entity } from '@backstage/catalog-model';
import {
  DashAlertsResponse,
  DashEvent,
  DashOnCallEntry,
  DashOnCallResponse,
  DashSourceState,
} from '@dash-suite/plugin-dash-common';
import { SignalSource } from '@dash-suite/plugin-dash-node';
import { RefreshEngine } from '../RefreshEngine/RefreshEngine';
import { sourceBlock } from '../RefreshEngine/sourceChecks';
import { classifyFailure } from '../UpstreamGuard/classifyFailure';
import { UpstreamGuard } from '../UpstreamGuard/UpstreamGuard';

/** How long an answer of "who is on call" or "what is firing" is reused. */
const CURRENT_SIGNALS_CACHE_TTL_MS = 30_000;

type SourceCall<T> = (
  source: SignalSource,
  entity: Entity,
  ctx: { upstream: UpstreamGuard; logger: LoggerService },
) => Promise<T>;

/** A "now" method of a source: whether the source has it, how to call it, how to answer. */
interface CurrentSignal<T, R> {
  what: string;
  has: (s: SignalSource) => unknown;
  call: SourceCall<T>;
  /** The answer's own field, from what the sources said. */
  combine: (values: T[], ref: string) => R;
}

const ON_CALL: CurrentSignal<
  DashOnCallEntry[],
  Pick<DashOnCallResponse, 'onCall'>
> = {
  what: 'oncall',
  has: s => s.getOnCall,
  call: (s, e, ctx) => s.getOnCall!(e, ctx),
  combine: values => ({
    onCall: values.flat().sort((a, b) => a.escalationLevel - b.escalationLevel),
  }),
};

const FIRING_ALERTS: CurrentSignal<
  DashEvent[],
  Pick<DashAlertsResponse, 'alerts'>
> = {
  what: 'alerts',
  has: s => s.getFiringAlerts,
  call: (s, e, ctx) => s.getFiringAlerts!(e, ctx),
  combine: (values, ref) => ({
    alerts: values.flat().map(a => ({ ...a, entityRef: ref })),
  }),
};

/**
 * Who is on call and which alerts are firing now: the sources' "now" methods, called through
 * each source's guard, with a short cache in front so that a page full of cards costs one
 * call per source.
 */
export class CurrentSignals {
  private readonly clock: () => number;

  constructor(
    private readonly options: {
      engine: RefreshEngine;
      guards: Map<string, UpstreamGuard>;
      cache: CacheService;
      logger: LoggerService;
      clock?: () => number;
    },
  ) {
    this.clock = options.clock ?? Date.now;
  }

  onCall(entity: Entity, ref: string): Promise<DashOnCallResponse> {
    return this.answer(entity, ref, ON_CALL);
  }

  alerts(entity: Entity, ref: string): Promise<DashAlertsResponse> {
    return this.answer(entity, ref, FIRING_ALERTS);
  }

  private async answer<T, R>(
    entity: Entity,
    ref: string,
    signal: CurrentSignal<T, R>,
  ): Promise<R & { entityRef: string; sources: DashSourceState[] }> {
    const results = await this.fromSources(entity, ref, signal);
    return {
      entityRef: ref,
      ...signal.combine(
        results.flatMap(r => (r.value ? [r.value] : [])),
        ref,
      ),
      sources: results.map(r => r.state),
    };
  }

  /** Asks each source that has the method; a failure marks that source's state only. */
  private async fromSources<T>(
    entity: Entity,
    ref: string,
    { what, has, call }: CurrentSignal<T, unknown>,
  ): Promise<Array<{ value?: T; state: DashSourceState }>> {
    const { engine, cache, guards, logger } = this.options;
    const sources = engine.sourcesFor(entity).filter(s => has(s));
    return Promise.all(
      sources.map(async source => {
        const base = { id: source.id, title: source.title, entityRef: ref };
        const block = sourceBlock(source, entity, logger);
        if (block) return { state: { ...base, ...block } };
        const key = `${what}:${source.id}:${ref}`;
        const fetched = (at: number) => ({
          ...base,
          status: 'ok' as const,
          fetchedAt: new Date(at).toISOString(),
        });
        const cached = (await cache.get(key)) as
          | { value: T; at: number }
          | undefined;
        if (cached) return { value: cached.value, state: fetched(cached.at) };
        try {
          const value = await call(source, entity, {
            upstream: guards.get(source.id)!,
            logger: logger.child({ source: source.id }),
          });
          const at = this.clock();
          await cache.set(key, { value, at } as any, {
            ttl: CURRENT_SIGNALS_CACHE_TTL_MS,
          });
          return { value, state: fetched(at) };
        } catch (e) {
          const { status, message, retryAfterMs } = classifyFailure(e);
          return {
            state: {
              ...base,
              status,
              message,
              ...(retryAfterMs !== undefined
                ? {
                    retryAfter: new Date(
                      this.clock() + retryAfterMs,
                    ).toISOString(),
                  }
                : {}),
            },
          };
        }
      }),
    );
  }
}
