import {
  DashAfterOnsetChange,
  DashCauseCandidate,
  DashCorrelation,
  DashEvent,
  DashShippedChange,
  HOUR_MS,
  MINUTE_MS,
} from '@dash-suite/plugin-dash-common';
import {
  Timed,
  byEntity,
  isChangeEvent,
  isDeployLike,
  lowerBound,
} from './changes';
import {
  afterOnsetReasons,
  onsetSummary,
  shippedReason,
  slowBurnReason,
  summarize,
} from './explain';
import { mergeSameDeploys } from './merge';
import { humanDuration, nameOf, sourceName } from './reasons';
import { productionDeployTimes, whatShipped } from './shipped';
import { linkUndos } from './undo';
import { parseIsoTime } from '../EventStore/isoTime';
import {
  Run,
  Signal,
  isTrouble,
  runInto,
  seriesKey,
  toSignal,
} from './signals';
import { MAX_BOOST, NON_PRODUCTION, TRAIL_TIME_FACTOR } from './scoring';
import { ProblemView, RECOVERY_WINDOW_MS, Suspect, weigh } from './suspects';

export { isChangeEvent } from './changes';
export { humanDuration } from './reasons';

export interface CorrelatorOptions {
  /** How far before a problem's onset to look for changes. */
  lookbackMs: number;
  /** Proximity decays with this time constant: a change this long before the onset scores 1/e. */
  timeConstantMs: number;
  /** Candidates below this score are noise and not shown. */
  minScore: number;
  maxCandidates: number;
  /** How far before the page the problem's onset may lie. */
  maxOnsetLeadMs: number;
}

export const DEFAULT_CORRELATOR_OPTIONS: CorrelatorOptions = {
  lookbackMs: 24 * HOUR_MS,
  timeConstantMs: 90 * MINUTE_MS,
  minScore: 0.1,
  maxCandidates: 5,
  maxOnsetLeadMs: 12 * HOUR_MS,
};

export interface CorrelatorInput {
  /** Incidents and alerts to explain. */
  problems: DashEvent[];
  /**
   * Every event known on the problems' entities and on what they depend on, in and before the
   * window: changes are the suspects, signs of trouble mark onsets and are evidence.
   */
  context: DashEvent[];
  /**
   * For each entity with problems, what it depends on and how far away (1 = direct). An entity
   * that depends on the problem's entity is never in here, so it is never a suspect.
   */
  dependencies: Map<string, Map<string, number>>;
  /** Entity titles for the reasons, by ref; falls back to the ref's name. */
  titles?: Map<string, string>;
  /** Source titles for the reasons, by source id (each source's own `title`); falls back to the id. */
  sourceTitles?: Map<string, string>;
}

/** Trouble on a dependency this soon after the problem's onset still went bad "with" it. */
const DEPENDENCY_SLACK_MS = 10 * MINUTE_MS;
/** Trouble that grew for this long before the page is a slow burn. */
const SLOW_BURN_LEAD_MS = 2 * HOUR_MS;

/**
 * Did the trouble grow slowly: for hours before the page, with one alert firing again and again,
 * or one signal on for hours?
 */
function isSlowBurn(onset: Run, problemT: number): boolean {
  if (problemT - onset.start < SLOW_BURN_LEAD_MS) return false;
  const episodes = new Map<string, number>();
  for (const s of onset.signals) {
    if (Math.min(s.end, problemT) - s.t >= SLOW_BURN_LEAD_MS) return true;
    const key = seriesKey(s.e);
    if (key) episodes.set(key, (episodes.get(key) ?? 0) + 1);
  }
  return [...episodes.values()].some(n => n >= 2);
}
/** The closest changes before the onset are weighed however old they are. */
const ALWAYS_WEIGHED = 5;
/** At most this many changes after the onset are listed. */
const MAX_AFTER_ONSET = 10;

/**
 * A log spike's first bucket may begin up to one bucket before the deploy that caused it: changes
 * that close after an onset marked by a log spike still count as before it.
 */
function onsetSlack(run: Run): number {
  const first = run.signals[0]?.e;
  if (first?.kind !== 'log-spike') return 0;
  const m = /^(\d+)([smh])$/.exec(String(first.attributes.interval ?? ''));
  const unit = { s: 1000, m: MINUTE_MS, h: HOUR_MS };
  const bucket = m ? Number(m[1]) * unit[m[2] as 's' | 'm' | 'h'] : MINUTE_MS;
  return Math.min(bucket, 5 * MINUTE_MS);
}

/**
 * Pull requests shown inside the deploy that shipped them, not as suspects of their own; one
 * shipped by a deploy after the onset was not live when the problem began.
 */
function foldShipped(
  suspects: Suspect[],
  shippedBy: Map<string, string>,
  deployTimes: Map<string, number>,
  onsetEnd: number,
): Suspect[] {
  const byId = new Map<string, Suspect>();
  for (const s of suspects) {
    byId.set(s.change.e.id, s);
    for (const twin of s.alsoSeenAs) byId.set(twin.e.id, s);
  }
  return suspects.filter(s => {
    const deployId = shippedBy.get(s.change.e.id);
    if (!deployId) return true;
    const deploy = byId.get(deployId);
    if (!deploy) return (deployTimes.get(deployId) ?? Infinity) <= onsetEnd;
    if (s.raw > deploy.raw) {
      // The pull request's own evidence (a revert followed by recovery) now speaks for the deploy.
      const number = s.change.e.attributes.number;
      const label =
        typeof number === 'number' ? `#${number}` : 'a pull request';
      for (const f of s.factors.filter(x => x.evidence)) {
        deploy.factors.push({
          ...f,
          reason: () => `It shipped ${label}: ${f.reason!()}`,
        });
      }
      deploy.raw = s.raw;
    }
    return false;
  });
}

/**
 * Ranks the changes that most likely caused each incident or alert. Pure: same input, same
 * answer. It first finds when the problem began (its onset: the earliest sign of trouble that
 * runs continuously into it); a change after the onset is never a suspect, and neither is
 * anything on a service that depends on the problem's service. Evidence moves a suspect: its
 * dependency's own trouble after it, a later undo followed by recovery (or not). One deploy
 * recorded by several systems is one suspect, and the pull requests it shipped are shown inside
 * it. When nothing plausible changed, it says so.
 */
export function correlate(
  input: CorrelatorInput,
  options: CorrelatorOptions = DEFAULT_CORRELATOR_OPTIONS,
): DashCorrelation[] {
  // Parse every time once and sort: the per-problem work below is binary searches and short
  // scans, so a window of thousands of changes stays cheap.
  const timed = input.context
    .map(e => ({ e, t: parseIsoTime(e.startTime) }))
    .sort((a, b) => a.t - b.t || a.e.id.localeCompare(b.e.id));
  const changes = timed.filter(x => isChangeEvent(x.e));
  const deploys = changes.filter(x => isDeployLike(x.e));
  const signals = byEntity<Signal>(
    timed.filter(x => isTrouble(x.e)).map(toSignal),
  );
  const { shipped, shippedBy } = whatShipped(changes);
  const deployTimes = new Map(deploys.map(d => [d.e.id, d.t]));
  const undos = linkUndos(changes);
  const productionDeploys = productionDeployTimes(changes);
  const byId = new Map(input.context.map(e => [e.id, e]));

  return input.problems.map(problem => {
    const problemT = Date.parse(problem.startTime);
    const problemEnd = problem.endTime ? Date.parse(problem.endTime) : Infinity;
    const deps =
      input.dependencies.get(problem.entityRef) ?? new Map<string, number>();
    const depthOf = (ref: string) =>
      ref === problem.entityRef ? 0 : deps.get(ref);
    const problemName = nameOf(problem.entityRef, input.titles);

    const onset = runInto(signals.get(problem.entityRef) ?? [], problemT, {
      maxLeadMs: options.maxOnsetLeadMs,
      excludeId: problem.id,
      seedSeries: seriesKey(problem),
    });
    const onsetEnd = onset.start + onsetSlack(onset);
    const dependencyRuns = new Map<string, Run>();
    for (const ref of deps.keys()) {
      const run = runInto(
        signals.get(ref) ?? [],
        onset.start + DEPENDENCY_SLACK_MS,
        { maxLeadMs: options.maxOnsetLeadMs },
      );
      if (run.signals.length) dependencyRuns.set(ref, run);
    }

    const lookbackFrom = onset.start - options.lookbackMs;
    const inScope: Timed[] = [];
    const after: Timed[] = [];
    const afterUntil = Number.isFinite(problemEnd)
      ? problemEnd
      : problemT + options.lookbackMs;
    for (
      let i = lowerBound(changes, lookbackFrom);
      i < changes.length && changes[i].t <= afterUntil;
      i++
    ) {
      const c = changes[i];
      if (c.e.id === problem.id || depthOf(c.e.entityRef) === undefined)
        continue;
      (c.t <= onsetEnd ? inScope : after).push(c);
    }

    // The problem recovered after the last undo before it was resolved, if one came shortly before.
    let fixing: Timed | undefined;
    if (Number.isFinite(problemEnd)) {
      for (const { undo } of undos.values()) {
        if (
          undo.t > onset.start &&
          undo.t <= problemEnd &&
          problemEnd - undo.t <= RECOVERY_WINDOW_MS &&
          depthOf(undo.e.entityRef) !== undefined &&
          (!fixing || undo.t > fixing.t)
        )
          fixing = undo;
      }
    }

    const view: ProblemView = {
      fixingUndoId: fixing?.e.id,
      onsetEnd,
      productionDeploys,
      problem,
      problemT,
      problemEnd,
      problemName,
      onset,
      depthOf,
      dependencyRuns,
      undos,
      titles: input.titles,
      timeConstantMs: options.timeConstantMs,
    };
    // Only changes that could still reach the minimum score with the strongest evidence are
    // weighed (and always the closest few, for a slow burn): a window holds thousands.
    const reach = Math.log(options.minScore / MAX_BOOST);
    let weighFrom = onset.start + options.timeConstantMs * reach;
    for (const run of dependencyRuns.values()) {
      weighFrom = Math.min(
        weighFrom,
        run.start + options.timeConstantMs * TRAIL_TIME_FACTOR * reach,
      );
    }
    const weighed = inScope.filter(
      (c, i) => c.t >= weighFrom || i >= inScope.length - ALWAYS_WEIGHED,
    );
    const suspects = foldShipped(
      mergeSameDeploys(weighed.map(c => weigh(view, c))),
      shippedBy,
      deployTimes,
      onsetEnd,
    ).sort(
      (a, b) => b.raw - a.raw || a.change.e.id.localeCompare(b.change.e.id),
    );

    // Rank on the raw score, so that two strong suspects capped at 1 still have an order;
    // only the shown candidates get their reasons written.
    let shown = suspects
      .filter(s => s.raw >= options.minScore)
      .slice(0, options.maxCandidates);
    let slowBurn: string | undefined;
    if (!shown.length && suspects.length && isSlowBurn(onset, problemT)) {
      // Old is not noise when the trouble grew slowly: show the closest change before it.
      const closest = suspects
        .filter(s => s.factors.slice(1).every(f => f.weight > NON_PRODUCTION))
        .sort((a, b) => b.change.t - a.change.t)[0];
      if (closest) {
        shown = [closest];
        slowBurn = slowBurnReason(view, closest);
      }
    }

    const candidates: DashCauseCandidate[] = shown.map(s => {
      const reasons = s.factors.flatMap(f => (f.reason ? [f.reason()] : []));
      if (s === shown[0] && slowBurn) reasons.push(slowBurn);
      if (s.alsoSeenAs.length) {
        const seen = [
          ...new Set(
            s.alsoSeenAs.map(x => sourceName(x.e.source, input.sourceTitles)),
          ),
        ];
        reasons.push(`Also recorded by ${seen.join(' and ')}`);
      }
      const list: DashShippedChange[] | undefined =
        shipped.get(s.change.e.id) ??
        s.alsoSeenAs.map(x => shipped.get(x.e.id)).find(Boolean);
      if (list?.length) reasons.push(shippedReason(list));
      return {
        eventId: s.change.e.id,
        entityRef: s.change.e.entityRef,
        relation: s.depth === 0 ? ('self' as const) : ('dependency' as const),
        score: Math.round(Math.max(0.001, Math.min(1, s.raw)) * 1000) / 1000,
        reasons,
        ...(list?.length ? { shipped: list } : {}),
      };
    });

    const undone = new Map(
      suspects
        .filter(s => s.undoneBy)
        .map(s => [s.undoneBy!.change.e.id, s] as const),
    );
    const afterOnset: DashAfterOnsetChange[] = after
      .slice(0, MAX_AFTER_ONSET)
      .map(c => ({
        eventId: c.e.id,
        entityRef: c.e.entityRef,
        reasons: afterOnsetReasons(view, c, undone.get(c.e.id)),
      }));

    return {
      eventId: problem.id,
      lookbackFrom: new Date(lookbackFrom).toISOString(),
      lookbackTo: new Date(onset.start).toISOString(),
      onset: {
        time: new Date(onset.start).toISOString(),
        eventId: onset.signals[0]?.e.id ?? problem.id,
        signalIds: onset.signals.map(s => s.e.id),
        summary: onsetSummary(view),
      },
      verdict: candidates.length > 0 ? 'ranked' : 'nothing-plausible',
      summary: summarize({
        view,
        top: candidates[0] && byId.get(candidates[0].eventId),
        inScope: inScope.length,
        scopeSize: deps.size,
        window: humanDuration(options.lookbackMs),
      }),
      candidates,
      afterOnset,
    };
  });
}
