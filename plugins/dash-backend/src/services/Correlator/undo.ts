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

const NO_DETAILS: Details = Object.freeze({}) as Details;

/** The free-form details a change carries: posted `details`, PagerDuty's `customDetails`. */
export function detailsOf(e: DashEvent): Details {
  // Most changes carry no details: no object to build.
  if (!e.attributes.customDetails && !e.attributes.details) return NO_DETAILS;
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

export function settingOf(
  e: DashEvent,
  d: Details = detailsOf(e),
): Setting | undefined {
  // A setting is named in the details: without any, there is none.
  if (d === NO_DETAILS) return undefined;
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

/** Attributes (or details) a change names the change it undoes in. */
const POINTER_KEYS = [
  'reverts',
  'revertOf',
  'rollbackOf',
  'undoes',
  'reverted',
];

/** Ways a change names the thing it undoes. */
function pointers(e: DashEvent, d: Details = detailsOf(e)): string[] {
  const out: string[] = [];
  for (const key of POINTER_KEYS) {
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

/**
 * What the undo search compares of one change, computed once per change, not per pair, and
 * only what is asked for: most changes undo nothing, and only their names, title or setting are
 * ever compared.
 */
class UndoFacts {
  private cache: {
    details?: Details;
    names?: Set<string>;
    pointers?: string[];
    reverts?: string | null;
    title?: string;
    setting?: Setting | null;
  } = {};

  constructor(readonly e: DashEvent) {}

  private get details(): Details {
    return (this.cache.details ??= detailsOf(this.e));
  }

  /** Lower-cased ways it can be named (id, version, sha, pull request number). */
  get names(): Set<string> {
    return (this.cache.names ??= new Set(
      namesOf(this.e).map(n => n.toLowerCase()),
    ));
  }

  /** Lower-cased names it says it undoes. */
  get pointers(): string[] {
    return (this.cache.pointers ??= pointers(this.e, this.details).map(p =>
      p.toLowerCase(),
    ));
  }

  /** For a "Revert …" title: the lower-cased title it reverts. */
  get reverts(): string | undefined {
    if (this.cache.reverts === undefined) {
      const revert = REVERT_TITLE.exec(plainTitle(this.e));
      this.cache.reverts =
        revert?.[1].replace(/^["“']|["”']$/g, '').toLowerCase() ?? null;
    }
    return this.cache.reverts ?? undefined;
  }

  /** Its lower-cased title, without a pull request's `#123 `. */
  get title(): string {
    return (this.cache.title ??= plainTitle(this.e).toLowerCase());
  }

  get setting(): Setting | undefined {
    if (this.cache.setting === undefined)
      this.cache.setting = settingOf(this.e, this.details) ?? null;
    return this.cache.setting ?? undefined;
  }

  get isDeploy(): boolean {
    return this.e.kind === 'deploy';
  }
}

/**
 * Could this change undo an earlier one? Most changes cannot; they are not searched from. A
 * plain function over the event, so that the thousands that cannot cost no facts.
 */
function mayUndo(e: DashEvent): boolean {
  if (isRollback(e) || REVERT_TITLE.test(plainTitle(e))) return true;
  const d = detailsOf(e);
  if (
    d === NO_DETAILS &&
    !POINTER_KEYS.some(k => e.attributes[k] !== undefined)
  )
    return false;
  return settingOf(e, d) !== undefined || pointers(e, d).length > 0;
}

/**
 * Does `later` undo `earlier` by what they say (a pointer, a revert title, a setting set back)?
 * Rollbacks are matched by position instead, in {@link linkUndos}.
 */
function undoesByContent(
  later: UndoFacts,
  earlier: UndoFacts,
): UndoWay | undefined {
  if (later.pointers.length && later.pointers.some(p => earlier.names.has(p)))
    return 'named';

  const inner = later.reverts;
  if (inner && !earlier.isDeploy) {
    if (earlier.title === inner || earlier.title.startsWith(inner))
      return 'revert';
  }

  const b = later.setting;
  const a = b && earlier.setting;
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
  // Each change's facts once: an undo is compared with every change of the 48 h before it.
  const known = new Map<Timed, UndoFacts>();
  const facts = (c: Timed) => {
    let f = known.get(c);
    if (!f) known.set(c, (f = new UndoFacts(c.e)));
    return f;
  };
  for (const list of byEntity(changes).values()) {
    for (let j = 0; j < list.length; j++) {
      const later = list[j];
      if (!mayUndo(later.e)) continue;
      const laterFacts = facts(later);
      const from = lowerBound(list, later.t - UNDO_SEARCH_MS);
      // What the undo says it undoes wins over where it stands.
      let found = false;
      for (let i = j - 1; i >= from && !found; i--) {
        const earlier = list[i];
        if (isRollback(earlier.e) || earlier.e.id === later.e.id) continue;
        const way = undoesByContent(laterFacts, facts(earlier));
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
