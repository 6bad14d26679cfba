import { JsonValue } from '@backstage/types';
import { DashEvent } from '@dash-suite/plugin-dash-common';
import {
  Timed,
  byEntity,
  isDeployLike,
  isRollback,
  lowerBound,
} from './changes';

/*
 * Which later change undoes which earlier one: a rollback to the version before it, a revert of
 * its commit or pull request, a feature flag set back, a configuration value restored. Linked
 * only by what the events carry, never by time alone.
 */

type Details = Record<string, JsonValue>;

/** The free-form details a change carries: posted `details`, PagerDuty's `customDetails`. */
export function detailsOf(e: DashEvent): Details {
  const out: Details = {};
  for (const key of ['customDetails', 'details']) {
    const d = e.attributes[key];
    if (d && typeof d === 'object' && !Array.isArray(d)) Object.assign(out, d);
  }
  return out;
}

function text(value: JsonValue | undefined): string | undefined {
  if (typeof value === 'string' && value.trim()) return value.trim();
  if (typeof value === 'number' || typeof value === 'boolean')
    return String(value);
  return undefined;
}

function first(d: Details, ...keys: string[]): string | undefined {
  for (const key of keys) {
    const v = text(d[key]);
    if (v !== undefined) return v;
  }
  return undefined;
}

const ON = /^(on|true|enabled?|yes|1|100%?)$/i;
const OFF = /^(off|false|disabled?|no|0|0%)$/i;

/** A flag or configuration setting a change sets: its key, the value before and after. */
interface Setting {
  what: 'flag' | 'config';
  key: string;
  from?: string;
  to?: string;
}

export function settingOf(e: DashEvent): Setting | undefined {
  const d = detailsOf(e);
  const type = String(e.attributes.changeType ?? '');
  const flag = first(
    d,
    'flag',
    'flagKey',
    'flag_key',
    'feature_flag',
    'feature',
  );
  const configKey = first(d, 'key', 'configKey', 'config_key', 'setting');
  const to = first(
    d,
    'to',
    'value',
    'new_value',
    'newValue',
    'enabled',
    'state',
  );
  const from = first(d, 'from', 'previous', 'old_value', 'oldValue', 'was');
  if (flag || (type === 'feature-flag' && configKey)) {
    return { what: 'flag', key: (flag ?? configKey)!, from, to };
  }
  if (configKey) return { what: 'config', key: configKey, from, to };
  return undefined;
}

function sameValue(a: string | undefined, b: string | undefined): boolean {
  if (a === undefined || b === undefined) return false;
  if (a.toLowerCase() === b.toLowerCase()) return true;
  return (ON.test(a) && ON.test(b)) || (OFF.test(a) && OFF.test(b));
}

/** Ways a change names the thing it undoes. */
function pointers(e: DashEvent): string[] {
  const d = detailsOf(e);
  const out: string[] = [];
  for (const key of [
    'reverts',
    'revertOf',
    'rollbackOf',
    'undoes',
    'reverted',
  ]) {
    const v = text(d[key] ?? e.attributes[key]);
    if (v) out.push(v.replace(/^#/, ''));
  }
  return out;
}

/** Ways a change can be named: its id, version, sha, pull request number. */
function namesOf(e: DashEvent): string[] {
  const out = [e.id, e.id.split(':').pop() ?? e.id];
  for (const key of ['version', 'sha', 'shortSha', 'mergeCommitSha', 'tag']) {
    const v = text(e.attributes[key]);
    if (v) out.push(v);
  }
  const number = text(e.attributes.number);
  if (number) out.push(number);
  return out;
}

/** A title without the `#123 ` the GitHub source puts before a pull request's title. */
export function plainTitle(e: DashEvent): string {
  return e.kind === 'pull-request' ? e.title.replace(/^#\d+\s+/, '') : e.title;
}

const REVERT_TITLE = /^revert\s*[:"“']\s*(.+?)\s*["”']?\s*$/i;

/** The kind of undo, for the reasons: "rolled back", "reverted", "turned back". */
export type UndoWay = 'rollback' | 'revert' | 'flag' | 'config' | 'named';

/** An undo is looked for this far back from the change that undoes. */
const UNDO_SEARCH_MS = 48 * 60 * 60 * 1000;

/** Could this change undo an earlier one? Most changes cannot; they are not searched from. */
function mayUndo(e: DashEvent): boolean {
  return (
    isRollback(e) ||
    REVERT_TITLE.test(plainTitle(e)) ||
    settingOf(e) !== undefined ||
    pointers(e).length > 0
  );
}

/**
 * Does `later` undo `earlier` by what they say (a pointer, a revert title, a setting set back)?
 * Rollbacks are matched by position instead, in {@link linkUndos}.
 */
function undoesByContent(
  later: DashEvent,
  earlier: DashEvent,
): UndoWay | undefined {
  const names = new Set(namesOf(earlier).map(n => n.toLowerCase()));
  if (pointers(later).some(p => names.has(p.toLowerCase()))) return 'named';

  const revert = REVERT_TITLE.exec(plainTitle(later));
  if (revert && earlier.kind !== 'deploy') {
    const inner = revert[1].replace(/^["“']|["”']$/g, '').toLowerCase();
    const title = plainTitle(earlier).toLowerCase();
    if (inner && (title === inner || title.startsWith(inner))) return 'revert';
  }

  const a = settingOf(earlier);
  const b = settingOf(later);
  if (a && b && a.what === b.what && a.key === b.key) {
    if (sameValue(b.to, a.from)) return a.what;
    // A flag turned off after it was turned on, when the earlier values are not recorded.
    if (a.what === 'flag' && a.from === undefined && ON.test(a.to ?? ''))
      return OFF.test(b.to ?? '') ? 'flag' : undefined;
  }
  return undefined;
}

/**
 * A rollback of a deploy: a deploy (or deploy change event) that says it rolls back, or a change
 * of type `rollback`. A configuration change titled "Revert …" is not one: it says what it
 * undoes, or nothing is linked.
 */
function isPositionalRollback(e: DashEvent): boolean {
  if (!isRollback(e)) return false;
  if (['failure', 'error'].includes(String(e.status))) return false;
  return (
    isDeployLike(e) ||
    e.attributes.rollback === true ||
    e.attributes.changeType === 'rollback'
  );
}

export interface Undo {
  undo: Timed;
  way: UndoWay;
}

/**
 * For each change that a later one undoes, the first such undo. A rollback undoes the latest
 * deploy before it in its environment, unless that deploy shipped the very version the rollback
 * goes to (then it is a redeploy, and undoes nothing); other undos are linked by what the events
 * carry. `changes` is sorted by time.
 */
export function linkUndos(changes: Timed[]): Map<string, Undo> {
  const out = new Map<string, Undo>();
  const link = (earlier: Timed, undo: Undo) => {
    if (!out.has(earlier.e.id)) out.set(earlier.e.id, undo);
  };
  for (const list of byEntity(changes).values()) {
    for (let j = 0; j < list.length; j++) {
      const later = list[j];
      if (!mayUndo(later.e)) continue;
      const from = lowerBound(list, later.t - UNDO_SEARCH_MS);
      // What the undo says it undoes wins over where it stands.
      let found = false;
      for (let i = j - 1; i >= from && !found; i--) {
        const earlier = list[i];
        if (isRollback(earlier.e) || earlier.e.id === later.e.id) continue;
        const way = undoesByContent(later.e, earlier.e);
        if (way) {
          link(earlier, { undo: later, way });
          found = true;
        }
      }
      if (found || !isPositionalRollback(later.e)) continue;
      const env = text(later.e.attributes.environment);
      const to = text(later.e.attributes.version);
      for (let i = j - 1; i >= from; i--) {
        const earlier = list[i];
        if (!isDeployLike(earlier.e) || isRollback(earlier.e)) continue;
        const envB = text(earlier.e.attributes.environment);
        if (env && envB && env !== envB) continue;
        // The same deploy seen by several systems lies within minutes: the first one found
        // going back is the latest deploy. A rollback to the version it ran is a redeploy.
        const version = text(earlier.e.attributes.version);
        if (!(to && version && to === version))
          link(earlier, { undo: later, way: 'rollback' });
        break;
      }
    }
  }
  return out;
}
