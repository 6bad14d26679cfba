import { DashEvent } from '@dash-suite/plugin-dash-common';

/** The page of the correlator's tests: times are minutes relative to it. */
export const T = Date.parse('2026-11-22T12:00:00Z');
export const MINUTE = 60_000;
export const at = (offsetMin: number) =>
  new Date(T + offsetMin * MINUTE).toISOString();

let seq = 0;
/** An event with defaults for what a test does not care about (ids are unique). */
export function ev(
  partial: Partial<DashEvent> & Pick<DashEvent, 'kind' | 'entityRef'>,
): DashEvent {
  seq += 1;
  return {
    id: partial.id ?? `test:${seq}`,
    source: partial.source ?? 'test',
    title: partial.title ?? `${partial.kind} ${seq}`,
    severity: partial.severity ?? 'info',
    startTime: partial.startTime ?? at(0),
    attributes: partial.attributes ?? {},
    ...partial,
  };
}
