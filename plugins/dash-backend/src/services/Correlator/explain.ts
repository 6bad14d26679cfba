import { DashEvent, DashShippedChange } from '@dash-suite/plugin-dash-common';
import { Timed } from './changes';
import { humanDuration, nameOf } from './reasons';
import { ProblemView, Suspect, theProblem } from './suspects';

/*
 * The sentences of a correlation beyond each factor's own: when the problem began, what came
 * after, the summary.
 */

function signalPhrase(e: DashEvent): string {
  switch (e.kind) {
    case 'log-spike':
      return 'An error spike';
    case 'incident':
      return `An earlier incident ("${e.title}")`;
    case 'annotation':
      return `An error annotation ("${e.title}")`;
    case 'pod-trouble':
      return `Pod trouble ("${e.title}")`;
    default:
      return `${e.severity === 'warning' ? 'A warning' : 'An'} alert ("${
        e.title
      }")`;
  }
}

/** "An error spike on payments-api 42 min before the incident (3 signals)". */
export function onsetSummary(view: ProblemView): string {
  const name = view.problemName;
  const kind = view.problem.kind;
  const signals = view.onset.signals;
  if (!signals.length) {
    return `No earlier sign of trouble on ${name}: the problem began with this ${kind}`;
  }
  const more =
    signals.length > 1
      ? `, then ${signals.length - 1} more signs of trouble`
      : '';
  return `${signalPhrase(signals[0].e)} on ${name} ${humanDuration(
    view.problemT - view.onset.start,
  )} before the ${kind}${more}`;
}

/** Why a change after the onset is not a suspect, and what it may have been. */
export function afterOnsetReasons(
  view: ProblemView,
  change: Timed,
  undid?: Suspect,
): string[] {
  const reasons = [
    `Came ${humanDuration(change.t - view.onset.start)} after ${theProblem(
      view,
    )} began, so it did not start it`,
  ];
  if (undid) {
    reasons.push(
      `It undid "${undid.change.e.title}": ${undid.undoneBy!.outcome}`,
    );
  }
  return reasons;
}

export function shippedReason(list: DashShippedChange[]): string {
  const prs = list.filter(s => s.kind === 'pull-request');
  if (prs.length) {
    const named = prs
      .slice(0, 3)
      .map(p => (p.number !== undefined ? `#${p.number} ${p.title}` : p.title));
    const rest = prs.length > 3 ? ` and ${prs.length - 3} more` : '';
    return `Shipped ${prs.length} pull request${
      prs.length === 1 ? '' : 's'
    }: ${named.join('; ')}${rest}`;
  }
  return `Shipped ${list.length} commit${list.length === 1 ? '' : 's'}`;
}

/** For the one old change shown before a slowly growing signal. */
export function slowBurnReason(view: ProblemView, suspect: Suspect): string {
  const first = view.onset.signals[0]?.e;
  return `It is old, but the trouble grew slowly: ${
    first ? `"${first.title}"` : 'the first sign'
  } began ${humanDuration(
    view.onset.start - suspect.change.t,
  )} after it and ran into the ${
    view.problem.kind
  }; nothing changed closer to it`;
}

export function summarize(input: {
  view: ProblemView;
  top?: DashEvent;
  inScope: number;
  scopeSize: number;
  window: string;
}): string {
  const { view, top } = input;
  const began = view.onset.start < view.problemT;
  if (top) {
    const age = humanDuration(view.onset.start - Date.parse(top.startTime));
    return `Most likely: ${top.title} (${nameOf(top.entityRef, view.titles)}, ${
      began ? `${age} before the problem began` : `${age} before`
    })`;
  }
  const scope =
    input.scopeSize === 0
      ? view.problemName
      : `${view.problemName} or the ${input.scopeSize} service${
          input.scopeSize === 1 ? '' : 's'
        } it depends on`;
  const before = began
    ? `before the problem began (${humanDuration(
        view.problemT - view.onset.start,
      )} before this ${view.problem.kind})`
    : `before this ${view.problem.kind} began`;
  if (input.inScope === 0) {
    return `No deploys or changes on ${scope} in the ${input.window} ${before}.`;
  }
  return `${input.inScope} change${
    input.inScope === 1 ? '' : 's'
  } on ${scope} in the ${input.window} ${
    began ? before : 'before'
  }, none close or relevant enough to suspect.`;
}
