import { DashSourceState } from '@dash-suite/plugin-dash-common';
import { createHash } from 'node:crypto';

/** What a timeline answer depends on, once the caller's access has been checked. */
export interface AnswerInputs {
  /** The entities asked for, as the caller may read them. */
  targetRefs: string[];
  /** Their dependencies the caller may read (they feed the correlation even when not shown). */
  dependencyRefs: string[];
  fromMs: number;
  toMs: number;
  sources?: string[];
  kinds?: string[];
  includeDependencies?: boolean;
  /** Where every feed read stands, with when it was last fetched (changes on each refresh). */
  states: DashSourceState[];
  /** The entities' versions (`EntityVersions.of`): moved by changes this process stored. */
  versions: string;
}

/**
 * The cache key of a timeline answer: everything the answer is computed from. Two callers get
 * one key only when they may read the same entities, so a shared answer never shows anyone an
 * entity they may not read.
 */
export function answerKey(inputs: AnswerInputs): string {
  return createHash('sha256')
    .update(
      JSON.stringify([
        inputs.targetRefs,
        inputs.dependencyRefs,
        inputs.fromMs,
        inputs.toMs,
        inputs.sources ?? null,
        inputs.kinds ?? null,
        !!inputs.includeDependencies,
        inputs.states.map(s => [
          s.entityRef,
          s.id,
          s.status,
          s.fetchedAt ?? null,
          s.message ?? null,
          s.retryAfter ?? null,
          s.nextAttemptAt ?? null,
        ]),
        inputs.versions,
      ]),
    )
    .digest('base64url');
}

/**
 * A window that ends at about now (within `stepMs` either side) moved forward so that its end is
 * the next multiple of `stepMs`: viewers who open the same tab seconds apart ask for the same
 * window and share one answer. The window keeps its length; other windows are left alone, as
 * is everything with `stepMs` 0.
 */
export function alignToNow<T extends { fromMs: number; toMs: number }>(
  window: T,
  nowMs: number,
  stepMs: number,
): T {
  if (stepMs <= 0 || Math.abs(window.toMs - nowMs) > stepMs) return window;
  const toMs = Math.ceil(window.toMs / stepMs) * stepMs;
  return { ...window, fromMs: window.fromMs + (toMs - window.toMs), toMs };
}
