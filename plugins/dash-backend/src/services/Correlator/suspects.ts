import { DashEvent, MINUTE_MS } from '@dash-suite/plugin-dash-common';
import { Timed } from './changes';
import { describeChange, humanDuration, nameOf } from './reasons';
import {
  CHANGE_TYPE_WEIGHT,
  DEPTH_WEIGHT,
  DEPTH_WEIGHT_WITH_EVIDENCE,
  DEPENDENCY_FIRST,
  NON_PRODUCTION,
  TRAIL_TIME_FACTOR,
  EVIDENCE_AGAINST,
  EVIDENCE_WEIGHT,
  KIND_WEIGHT,
  PRODUCTION,
  RECOVERY_WEIGHT,
  UNDONE_WITHOUT_RECOVERY,
} from './scoring';
import { Run } from './signals';
import { isDocsOnly } from './shipped';
import { Undo, UndoWay } from './undo';

/*
 * How one change is weighed as a suspect of one problem: each factor multiplies its score and,
 * where it tells the reader something, says so in words.
 */

/** A rollback or revert this long after the problem's end no longer says anything about it. */
const UNDO_HORIZON_MS = 2 * 60 * MINUTE_MS;
/** The problem ended this soon after an undo: the undo fixed it. */
export const RECOVERY_WINDOW_MS = 60 * MINUTE_MS;

export interface Factor {
  weight: number;
  /** Said to the reader; factors without words are the kind of change and its environment. */
  /** Written only for the candidates shown: a window holds thousands of changes. */
  reason?: () => string;
  /** Evidence about this change itself (an undo, a trail), kept when a deploy absorbs it. */
  evidence?: boolean;
}

export interface Suspect {
  change: Timed;
  depth: number;
  raw: number;
  factors: Factor[];
  alsoSeenAs: Timed[];
  /** The later change that undid this one, and what came of it (in words). */
  undoneBy?: { change: Timed; outcome: string };
}

/** What the weighing of one problem's suspects knows about the problem. */
export interface ProblemView {
  problem: DashEvent;
  problemT: number;
  /** Infinity while open. */
  problemEnd: number;
  problemName: string;
  /** When the problem began, and the trouble before the page. */
  onset: Run;
  depthOf(ref: string): number | undefined;
  /** Each dependency's run of trouble into the problem's onset, when it had one. */
  dependencyRuns: Map<string, Run>;
  /** The onset, with the slack a log spike's bucket gives. */
  onsetEnd: number;
  /** Times of each entity's production deploys, sorted. */
  productionDeploys: Map<string, number[]>;
  /** For each change a later one undid, the first undo. */
  undos: Map<string, Undo>;
  /**
   * The undo the problem recovered after: the last one before it was resolved, within the
   * recovery window. Earlier undos, after which it went on, did not help.
   */
  fixingUndoId?: string;
  titles?: Map<string, string>;
  timeConstantMs: number;
}

const problemWord = (v: ProblemView) => v.problem.kind;
/** "the problem" when it began before the page, else "the incident" (or "the alert"). */
export const theProblem = (v: ProblemView) =>
  v.onset.start < v.problemT ? 'the problem' : `the ${v.problem.kind}`;

function ageReason(view: ProblemView, change: Timed): string {
  const { e } = change;
  const name = nameOf(e.entityRef, view.titles);
  const what = `${describeChange(e)} on ${name}`;
  if (view.onset.start >= view.problemT) {
    return `${what} ${humanDuration(
      view.problemT - change.t,
    )} before the ${problemWord(view)} began`;
  }
  return `${what} ${humanDuration(
    view.onset.start - change.t,
  )} before the problem began (${humanDuration(
    view.problemT - change.t,
  )} before the ${problemWord(view)})`;
}

function troubleWord(run: Run): string {
  const s = run.signals[0].e;
  if (s.kind === 'log-spike') return 'an error spike';
  if (s.kind === 'annotation') return `an error annotation ("${s.title}")`;
  if (s.kind === 'pod-trouble') return `pod trouble ("${s.title}")`;
  return `an ${s.kind} ("${s.title}")`;
}

/** The undo of `change`, when it came while it can still say something about the problem. */
function findUndo(view: ProblemView, change: Timed): Undo | undefined {
  const found = view.undos.get(change.e.id);
  if (!found) return undefined;
  const until =
    (Number.isFinite(view.problemEnd)
      ? view.problemEnd
      : view.problemT + UNDO_HORIZON_MS) + UNDO_HORIZON_MS;
  return found.undo.t <= until ? found : undefined;
}

const UNDO_VERB: Record<UndoWay, string> = {
  rollback: 'Rolled back',
  revert: 'Reverted',
  flag: 'Flag turned back',
  config: 'Setting restored',
  named: 'Undone',
};

function undoFactor(view: ProblemView, found: Undo): Factor | undefined {
  const { undo, way } = found;
  const onset = view.onset.start;
  if (undo.t <= onset) return undefined;
  const by = `${UNDO_VERB[way]} by "${undo.e.title}" ${humanDuration(
    undo.t - onset,
  )} after ${theProblem(view)} began`;
  const end = view.problemEnd;
  if (Number.isFinite(end) && end < undo.t) {
    return {
      weight: 1,
      reason: () => `${by}, after the ${problemWord(view)} was resolved`,
    };
  }
  if (view.fixingUndoId === undo.e.id) {
    return {
      weight: RECOVERY_WEIGHT,
      evidence: true,
      reason: () =>
        `${by}; the ${problemWord(view)} was resolved ${humanDuration(
          end - undo.t,
        )} later`,
    };
  }
  const goesOn = Number.isFinite(end)
    ? `went on for ${humanDuration(end - undo.t)} after that`
    : 'is still going on';
  return {
    weight: UNDONE_WITHOUT_RECOVERY,
    evidence: true,
    reason: () =>
      `${by}, and the ${problemWord(view)} ${goesOn}: undoing it did not help`,
  };
}

/** Weighs one change as a suspect of the problem in view. */
export function weigh(view: ProblemView, change: Timed): Suspect {
  const { e } = change;
  const depth = view.depthOf(e.entityRef)!;
  const name = () => nameOf(e.entityRef, view.titles);
  const factors: Factor[] = [];
  const run = depth > 0 ? view.dependencyRuns.get(e.entityRef) : undefined;
  const trail = run && run.start >= change.t ? run : undefined;

  // Proximity: from the change to the first sign of its effect (the dependency's own trouble
  // when it had some after the change, else the problem's onset).
  // A dependency's own trouble may take hours to show (load grows to the next peak): its decay
  // is slower.
  const effectAt = trail
    ? Math.min(trail.start, view.onset.start)
    : view.onset.start;
  const timeConstant = trail
    ? view.timeConstantMs * TRAIL_TIME_FACTOR
    : view.timeConstantMs;
  factors.push({
    weight: Math.exp(-(effectAt - change.t) / timeConstant),
    reason: () => ageReason(view, change),
  });
  factors.push({
    weight:
      e.kind === 'change'
        ? CHANGE_TYPE_WEIGHT[String(e.attributes.changeType)] ?? 0.6
        : KIND_WEIGHT[e.kind] ?? 0.5,
  });

  if (depth > 0) {
    const table = trail ? DEPTH_WEIGHT_WITH_EVIDENCE : DEPTH_WEIGHT;
    factors.push({
      weight: table[Math.min(depth, table.length - 1)],
      reason: () =>
        depth === 1
          ? `${view.problemName} depends on ${name()}`
          : `${
              view.problemName
            } depends on ${name()} indirectly (${depth} hops)`,
    });
  }
  const env = e.attributes.environment;
  if (typeof env === 'string' && env && !PRODUCTION.test(env))
    factors.push({
      weight: NON_PRODUCTION,
      reason: () => `Went to ${env}, not production`,
    });
  if (isDocsOnly(e))
    factors.push({
      weight: NON_PRODUCTION,
      reason: () => 'Only documentation',
    });
  if (e.kind === 'pull-request') {
    // Services whose deploys DASH sees: a pull request is live once a deploy followed it.
    const deploys = view.productionDeploys.get(e.entityRef);
    if (deploys && !deploys.some(t => t >= change.t && t <= view.onsetEnd)) {
      factors.push({
        weight: NON_PRODUCTION,
        reason: () =>
          `Merged, but no production deploy of ${name()} followed it before the problem began`,
      });
    }
  }
  if (e.kind === 'deploy' && ['failure', 'error'].includes(String(e.status)))
    factors.push({ weight: 0.6, reason: () => 'The deploy itself failed' });

  if (trail) {
    factors.push({
      weight: EVIDENCE_WEIGHT,
      evidence: true,
      reason: () =>
        `${name()} showed ${troubleWord(trail)} ${humanDuration(
          trail.start - change.t,
        )} after this change`,
    });
    if (trail.start < view.onset.start) {
      factors.push({
        reason: () =>
          `${name()} went bad ${humanDuration(
            view.onset.start - trail.start,
          )} before ${view.problemName} did`,
        weight: 1,
      });
    }
  } else if (run) {
    factors.push({
      weight: EVIDENCE_AGAINST,
      reason: () =>
        `${name()} was already in trouble ${humanDuration(
          change.t - run.start,
        )} before this change`,
    });
  } else if (depth > 0) {
    factors.push({
      weight: 1,
      reason: () =>
        `No sign of trouble on ${name()} before ${view.problemName}'s problem`,
    });
  }
  // The undo is weighed before the dependency's trouble: a problem that ended once this change
  // was undone was not (only) the dependency's doing.
  const found = findUndo(view, change);
  const undo = found && undoFactor(view, found);
  const fixedByUndo = !!undo && view.fixingUndoId === found.undo.e.id;
  if (depth === 0) {
    // A dependency in trouble before the problem began may have passed it on; before this very
    // change, it surely was not this change's doing. Unless undoing this change ended it.
    let first: [string, Run] | undefined;
    for (const entry of view.dependencyRuns) {
      if (!first || entry[1].start < first[1].start) first = entry;
    }
    const still = () =>
      `, but the ${problemWord(view)} ended once this change was undone`;
    if (first && first[1].start < change.t) {
      const [ref, depRun] = first;
      factors.push({
        weight: fixedByUndo ? 1 : EVIDENCE_AGAINST,
        reason: () =>
          `${nameOf(ref, view.titles)}, which ${
            view.problemName
          } depends on, was already in trouble ${humanDuration(
            change.t - depRun.start,
          )} before this change${fixedByUndo ? still() : ''}`,
      });
    } else if (first && first[1].start < view.onset.start) {
      const [ref, depRun] = first;
      factors.push({
        weight: fixedByUndo ? 1 : DEPENDENCY_FIRST,
        reason: () =>
          `${nameOf(ref, view.titles)}, which ${
            view.problemName
          } depends on, went bad ${humanDuration(
            view.onset.start - depRun.start,
          )} before ${view.problemName} did${
            fixedByUndo ? still() : ': the trouble may have come from there'
          }`,
      });
    }
  }
  if (undo) factors.push(undo);

  return {
    change,
    depth,
    raw: factors.reduce((p, f) => p * f.weight, 1),
    factors,
    alsoSeenAs: [],
    ...(found && undo
      ? { undoneBy: { change: found.undo, outcome: undo.reason!() } }
      : {}),
  };
}
