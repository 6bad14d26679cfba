import { DashEvent, MINUTE_MS } from '@dash-suite/plugin-dash-common';
import { CHANGES_SOURCE_ID } from '../ChangeIngest/changeIds';

/*
 * The words the correlator explains itself with.
 */

export const nameOf = (ref: string, titles?: Map<string, string>) =>
  titles?.get(ref) ?? ref.replace(/^[^:]+:/, '').replace(/^default\//, '');

/** "5 min", "2 h 10 min", "3 d" */
export function humanDuration(ms: number): string {
  const minutes = Math.round(Math.abs(ms) / MINUTE_MS);
  if (minutes < 1) return 'less than a minute';
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  if (hours < 48) return rest ? `${hours} h ${rest} min` : `${hours} h`;
  return `${Math.round(hours / 24)} d`;
}

export function describeChange(e: DashEvent): string {
  const env = e.attributes.environment ? ` to ${e.attributes.environment}` : '';
  switch (e.kind) {
    case 'deploy':
      return `Deployed${env}`;
    case 'release':
      return 'Released';
    case 'pull-request':
      return 'Pull request merged';
    case 'annotation':
      return 'Change annotated';
    default: {
      const type = e.attributes.changeType
        ? `${e.attributes.changeType} change`
        : 'Change';
      return `${type[0].toUpperCase()}${type.slice(1)}${env}`;
    }
  }
}

/**
 * How a reason names the system that recorded an event: the source's own title, given by the
 * caller; change events posted to DASH itself are "a change event".
 */
export function sourceName(
  sourceId: string,
  sourceTitles?: Map<string, string>,
): string {
  if (sourceId === CHANGES_SOURCE_ID) return 'a change event';
  return sourceTitles?.get(sourceId) ?? sourceId;
}
