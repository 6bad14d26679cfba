/*
 * Elasticsearch Query DSL, the part a log search uses: bool, match_all/none, term(s), match,
 * match_phrase, range (dates with epoch_millis, ISO and date math), exists, prefix, wildcard,
 * ids, query_string (field:value, quoted values, wildcards, ranges, AND/OR/NOT, parentheses)
 * and simple_query_string. Queries compile to predicates over log documents.
 */
import {
  DocView,
  FIELD_TYPES,
  fieldValue,
  normalizeField,
  tokens,
} from './docs';
import { parseTime } from '../../time';
import { toArray } from '../../util';

/** A 400 with Elasticsearch's error type. */
export class EsQueryError extends Error {
  constructor(readonly type: string, reason: string) {
    super(reason);
  }
}

export type Predicate = (d: DocView) => boolean;

/** Known time bounds of a query (for slicing sorted logs before evaluating). */
export interface TimeBounds {
  from: number;
  to: number;
}

const UNIT_MS: Record<string, number> = {
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
  H: 3_600_000,
  d: 86_400_000,
  w: 604_800_000,
};

function roundDown(t: number, unit: string): number {
  const d = new Date(t);
  switch (unit) {
    case 'y':
      return Date.UTC(d.getUTCFullYear(), 0, 1);
    case 'M':
      return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
    case 'w': {
      const day = (d.getUTCDay() + 6) % 7;
      return Date.UTC(
        d.getUTCFullYear(),
        d.getUTCMonth(),
        d.getUTCDate() - day,
      );
    }
    default:
      return Math.floor(t / UNIT_MS[unit]) * UNIT_MS[unit];
  }
}

function addUnit(t: number, n: number, unit: string): number {
  if (unit === 'M' || unit === 'y') {
    const d = new Date(t);
    const months = unit === 'y' ? n * 12 : n;
    return Date.UTC(
      d.getUTCFullYear(),
      d.getUTCMonth() + months,
      d.getUTCDate(),
      d.getUTCHours(),
      d.getUTCMinutes(),
      d.getUTCSeconds(),
      d.getUTCMilliseconds(),
    );
  }
  return t + n * UNIT_MS[unit];
}

/** A date value: epoch millis (number or digits), ISO 8601, or date math (now-15m/m, 2024-01-01||+1d). */
export function parseDate(
  value: unknown,
  format: string | undefined,
  now: number,
  roundUp = false,
): number {
  if (typeof value === 'number')
    return format === 'epoch_second' ? value * 1000 : value;
  if (typeof value !== 'string')
    throw new EsQueryError(
      'parse_exception',
      `failed to parse date field [${String(value)}]`,
    );
  const text = value.trim();
  if (
    format?.split('||').includes('epoch_second') &&
    /^\d+(\.\d+)?$/.test(text)
  )
    return Number(text) * 1000;
  if (
    /^-?\d+$/.test(text) &&
    (!format || format.includes('epoch_millis') || text.length > 8)
  )
    return Number(text);
  let base: number | undefined;
  let math = '';
  if (text.startsWith('now')) {
    base = now;
    math = text.slice(3);
  } else {
    const [anchor, rest = ''] = text.split('||');
    base = parseTime(anchor);
    math = rest;
  }
  if (base === undefined) {
    throw new EsQueryError(
      'parse_exception',
      `failed to parse date field [${text}] with format [${
        format ?? 'strict_date_optional_time||epoch_millis'
      }]`,
    );
  }
  let t = base;
  const re = /([+-])(\d+)([smhHdwMy]|ms)|\/([smhHdwMy])/g;
  let consumed = 0;
  for (let m = re.exec(math); m; m = re.exec(math)) {
    consumed += m[0].length;
    if (m[4]) {
      const unit = m[4] === 'H' ? 'h' : m[4];
      t = roundDown(t, unit);
      if (roundUp) t = addUnit(t, 1, unit) - 1;
    } else {
      t = addUnit(t, Number(m[2]) * (m[1] === '-' ? -1 : 1), m[3]);
    }
  }
  if (consumed !== math.length)
    throw new EsQueryError(
      'parse_exception',
      `operator not supported for date math [${math}]`,
    );
  return t;
}

function wildcardRegex(pattern: string, flags = ''): RegExp {
  const escaped = pattern
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${escaped}$`, flags);
}

function fieldType(field: string): string | undefined {
  return FIELD_TYPES[field];
}

/** Matches one value of a field the way a term-level or full-text query would. */
function valueMatcher(
  rawField: string,
  value: string | number,
  kind: 'term' | 'match' | 'phrase' | 'wildcard' | 'prefix',
  now: number,
): Predicate {
  const { field, exactText } = normalizeField(rawField);
  const type = fieldType(field);
  if (!type) return () => false;
  if (type === 'text' && !exactText) {
    if (kind === 'wildcard' || kind === 'prefix') {
      const re =
        kind === 'prefix'
          ? new RegExp(
              `^${String(value)
                .toLocaleLowerCase('en-US')
                .replace(/[.+^${}()|[\]\\*?]/g, '\\$&')}`,
            )
          : wildcardRegex(String(value).toLocaleLowerCase('en-US'));
      return d =>
        tokens(String(fieldValue(d, field) ?? '')).some(t => re.test(t));
    }
    const wanted = tokens(String(value));
    if (!wanted.length) return () => false;
    if (kind === 'phrase') {
      return d => {
        const have = tokens(String(fieldValue(d, field) ?? ''));
        for (let i = 0; i + wanted.length <= have.length; i++) {
          if (wanted.every((w, j) => have[i + j] === w)) return true;
        }
        return false;
      };
    }
    if (kind === 'term')
      return d =>
        tokens(String(fieldValue(d, field) ?? '')).includes(String(value));
    return d => {
      const have = tokens(String(fieldValue(d, field) ?? ''));
      return wanted.some(w => have.includes(w));
    };
  }
  if (type === 'long') {
    if (kind === 'wildcard' || kind === 'prefix') return () => false;
    const n = Number(value);
    if (Number.isNaN(n))
      throw new EsQueryError(
        'query_shard_exception',
        `failed to create query: For input string: "${value}"`,
      );
    return d => fieldValue(d, field) === n;
  }
  if (type === 'date') {
    const t = parseDate(value, undefined, now);
    return d => fieldValue(d, field) === t;
  }
  const text = exactText ? String(value) : String(value);
  if (kind === 'wildcard') {
    const re = wildcardRegex(text);
    return d => re.test(String(fieldValue(d, field) ?? ''));
  }
  if (kind === 'prefix')
    return d => String(fieldValue(d, field) ?? '').startsWith(text);
  return d => String(fieldValue(d, field) ?? '') === text;
}

interface RangeSpec {
  gte?: unknown;
  gt?: unknown;
  lte?: unknown;
  lt?: unknown;
  from?: unknown;
  to?: unknown;
  include_lower?: boolean;
  include_upper?: boolean;
  format?: string;
  time_zone?: string;
}

function rangePredicate(
  rawField: string,
  spec: RangeSpec,
  now: number,
  bounds?: TimeBounds,
): Predicate {
  const { field } = normalizeField(rawField);
  const type = fieldType(field);
  if (!type) return () => false;
  let lower: number | string | undefined;
  let upper: number | string | undefined;
  let lowerInc = true;
  let upperInc = true;
  const conv = (v: unknown, up: boolean): number | string => {
    if (type === 'date') return parseDate(v, spec.format, now, up);
    return type === 'long' ? Number(v) : String(v);
  };
  if (spec.gte !== undefined && spec.gte !== null)
    lower = conv(spec.gte, false);
  if (spec.gt !== undefined && spec.gt !== null) {
    lower = conv(spec.gt, true);
    lowerInc = false;
  }
  if (spec.from !== undefined && spec.from !== null) {
    lower = conv(spec.from, false);
    lowerInc = spec.include_lower !== false;
  }
  if (spec.lte !== undefined && spec.lte !== null) upper = conv(spec.lte, true);
  if (spec.lt !== undefined && spec.lt !== null) {
    upper = conv(spec.lt, false);
    upperInc = false;
  }
  if (spec.to !== undefined && spec.to !== null) {
    upper = conv(spec.to, true);
    upperInc = spec.include_upper !== false;
  }
  if (bounds && type === 'date') {
    if (typeof lower === 'number') bounds.from = Math.max(bounds.from, lower);
    if (typeof upper === 'number') bounds.to = Math.min(bounds.to, upper);
  }
  return d => {
    const v = fieldValue(d, field);
    if (v === undefined) return false;
    if (lower !== undefined && (lowerInc ? v < lower : v <= lower))
      return false;
    if (upper !== undefined && (upperInc ? v > upper : v >= upper))
      return false;
    return true;
  };
}

function single(obj: unknown, what: string): [string, any] {
  if (!obj || typeof obj !== 'object' || Array.isArray(obj)) {
    throw new EsQueryError(
      'parsing_exception',
      `[${what}] query malformed, no start_object after query name`,
    );
  }
  const entries = Object.entries(obj as Record<string, unknown>).filter(
    ([k]) => k !== 'boost' && k !== '_name',
  );
  if (entries.length !== 1) {
    throw new EsQueryError(
      'parsing_exception',
      `[${what}] query doesn't support multiple fields, found [${entries
        .map(e => e[0])
        .join('] and [')}]`,
    );
  }
  return entries[0];
}

const and =
  (ps: Predicate[]): Predicate =>
  d =>
    ps.every(p => p(d));
const or =
  (ps: Predicate[]): Predicate =>
  d =>
    ps.some(p => p(d));

/** Compiles a Query DSL object. `bounds` collects top-level time bounds when given. */
export function compileQuery(
  query: unknown,
  now: number,
  bounds?: TimeBounds,
): Predicate {
  if (query === undefined || query === null) return () => true;
  if (typeof query !== 'object' || Array.isArray(query))
    throw new EsQueryError(
      'parsing_exception',
      'query malformed, must start with start_object',
    );
  const keys = Object.keys(query);
  if (keys.length !== 1) {
    throw new EsQueryError(
      'parsing_exception',
      keys.length
        ? `[${keys[1]}] malformed query, expected [END_OBJECT] but found [FIELD_NAME]`
        : 'query malformed, empty clause found',
    );
  }
  const type = keys[0];
  const body = (query as Record<string, any>)[type];
  switch (type) {
    case 'match_all':
      return () => true;
    case 'match_none':
      return () => false;
    case 'bool': {
      const list = (v: unknown): unknown[] => toArray(v);
      const must = [...list(body.must), ...list(body.filter)].map(q =>
        compileQuery(q, now, bounds),
      );
      const should = list(body.should).map(q => compileQuery(q, now));
      const mustNot = list(body.must_not).map(q => compileQuery(q, now));
      let msm = body.minimum_should_match;
      if (msm === undefined) msm = !must.length && should.length ? 1 : 0;
      if (typeof msm === 'string') {
        const pct = /^(-?\d+)%$/.exec(msm);
        msm = pct
          ? Math.floor((should.length * Number(pct[1])) / 100)
          : Number(msm);
      }
      if (msm < 0) msm = should.length + msm;
      return d => {
        if (!must.every(p => p(d))) return false;
        if (mustNot.some(p => p(d))) return false;
        if (msm > 0) {
          let n = 0;
          for (const p of should) if (p(d) && ++n >= msm) return true;
          return false;
        }
        return true;
      };
    }
    case 'term': {
      const [field, spec] = single(body, 'term');
      const value =
        spec !== null && typeof spec === 'object' ? spec.value : spec;
      return valueMatcher(field, value, 'term', now);
    }
    case 'terms': {
      const [field, values] = single(body, 'terms');
      if (!Array.isArray(values))
        throw new EsQueryError(
          'parsing_exception',
          '[terms] query does not support lookups in the sandbox; pass an array of values',
        );
      return or(values.map(v => valueMatcher(field, v, 'term', now)));
    }
    case 'match':
    case 'match_phrase': {
      const [field, spec] = single(body, type);
      const text =
        spec !== null && typeof spec === 'object' ? spec.query : spec;
      if (type === 'match_phrase')
        return valueMatcher(field, text, 'phrase', now);
      const operator =
        typeof spec === 'object' && spec?.operator
          ? String(spec.operator).toLocaleLowerCase('en-US')
          : 'or';
      const { field: f } = normalizeField(field);
      if (FIELD_TYPES[f] === 'text' && operator === 'and') {
        return and(
          tokens(String(text)).map(t => valueMatcher(field, t, 'match', now)),
        );
      }
      return valueMatcher(field, text, 'match', now);
    }
    case 'range': {
      const [field, spec] = single(body, 'range');
      return rangePredicate(field, spec, now, bounds);
    }
    case 'exists': {
      const { field } = normalizeField(String(body.field));
      return d => fieldValue(d, field) !== undefined;
    }
    case 'prefix':
    case 'wildcard': {
      const [field, spec] = single(body, type);
      const value =
        spec !== null && typeof spec === 'object'
          ? spec.value ?? spec.wildcard
          : spec;
      return valueMatcher(field, value, type, now);
    }
    case 'ids': {
      const values = new Set((body.values ?? []) as string[]);
      return d => values.has(d.log.id);
    }
    case 'query_string':
      return compileQueryString(String(body.query ?? ''), {
        defaultOperator:
          String(body.default_operator ?? 'OR').toUpperCase() === 'AND'
            ? 'AND'
            : 'OR',
        fields:
          body.fields ??
          (body.default_field ? [body.default_field] : undefined),
        now,
      });
    case 'simple_query_string':
      return compileSimpleQueryString(String(body.query ?? ''), {
        defaultOperator:
          String(body.default_operator ?? 'OR').toUpperCase() === 'AND'
            ? 'AND'
            : 'OR',
        fields: body.fields,
        now,
      });
    default:
      throw new EsQueryError('parsing_exception', `unknown query [${type}]`);
  }
}

// ---------------------------------------------------------------------------------------------
// query_string

interface QsOptions {
  defaultOperator: 'AND' | 'OR';
  fields?: string[];
  now: number;
}

type Token =
  | { t: 'word'; v: string }
  | { t: 'phrase'; v: string }
  | { t: 'op'; v: 'AND' | 'OR' | 'NOT' }
  | { t: 'lparen' }
  | { t: 'rparen' }
  | { t: 'colon' }
  | { t: 'plus' }
  | { t: 'minus' }
  | { t: 'range'; v: string };

function tokenize(input: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < input.length) {
    const c = input[i];
    if (/\s/.test(c)) {
      i++;
    } else if (c === '(') {
      out.push({ t: 'lparen' });
      i++;
    } else if (c === ')') {
      out.push({ t: 'rparen' });
      i++;
    } else if (c === ':') {
      out.push({ t: 'colon' });
      i++;
    } else if (c === '"') {
      let j = i + 1;
      let v = '';
      while (j < input.length && input[j] !== '"') {
        if (input[j] === '\\' && j + 1 < input.length) j++;
        v += input[j++];
      }
      if (j >= input.length)
        throw new EsQueryError(
          'query_shard_exception',
          `Failed to parse query [${input}]: unterminated quote`,
        );
      out.push({ t: 'phrase', v });
      i = j + 1;
    } else if (c === '[' || c === '{') {
      // Either bracket may close either side: [a TO b} is inclusive then exclusive.
      const offset = input.slice(i + 1).search(/[\]}]/);
      const close = offset < 0 ? -1 : i + 1 + offset;
      if (close < 0)
        throw new EsQueryError(
          'query_shard_exception',
          `Failed to parse query [${input}]: unterminated range`,
        );
      out.push({ t: 'range', v: input.slice(i, close + 1) });
      i = close + 1;
    } else if (input.startsWith('&&', i)) {
      out.push({ t: 'op', v: 'AND' });
      i += 2;
    } else if (input.startsWith('||', i)) {
      out.push({ t: 'op', v: 'OR' });
      i += 2;
    } else if (c === '!') {
      out.push({ t: 'op', v: 'NOT' });
      i++;
    } else if (c === '+' && (i === 0 || /[\s(]/.test(input[i - 1]))) {
      out.push({ t: 'plus' });
      i++;
    } else if (c === '-' && (i === 0 || /[\s(]/.test(input[i - 1]))) {
      out.push({ t: 'minus' });
      i++;
    } else {
      let j = i;
      let v = '';
      while (j < input.length && !/[\s():"]/.test(input[j])) {
        if (input[j] === '\\' && j + 1 < input.length) {
          v += input[j + 1];
          j += 2;
          continue;
        }
        v += input[j++];
      }
      if (v === 'AND' || v === 'OR' || v === 'NOT') out.push({ t: 'op', v });
      else out.push({ t: 'word', v });
      i = j;
    }
  }
  return out;
}

const DEFAULT_FIELDS = Object.keys(FIELD_TYPES).filter(
  f => !f.startsWith('_') && f !== '@timestamp',
);

function expandFields(fields: string[]): string[] {
  return fields.flatMap(f => {
    const name = f.replace(/\^[\d.]+$/, '');
    if (name === '*') return DEFAULT_FIELDS;
    if (name.includes('*')) {
      const re = wildcardRegex(name);
      return DEFAULT_FIELDS.filter(x => re.test(x));
    }
    return [name];
  });
}

function termPredicate(
  field: string | undefined,
  tok: Token,
  opts: QsOptions,
): Predicate {
  const fields = field
    ? expandFields([field])
    : expandFields(opts.fields ?? ['*']);
  if (field === '_exists_' && (tok.t === 'word' || tok.t === 'phrase')) {
    const { field: f } = normalizeField(tok.v);
    return d => fieldValue(d, f) !== undefined;
  }
  if (tok.t === 'range') {
    const m = /^([[{])\s*(\S+)\s+TO\s+(\S+)\s*([\]}])$/.exec(tok.v);
    if (!m)
      throw new EsQueryError(
        'query_shard_exception',
        `Failed to parse query: bad range ${tok.v}`,
      );
    const spec: RangeSpec = {};
    if (m[2] !== '*') (spec as any)[m[1] === '[' ? 'gte' : 'gt'] = m[2];
    if (m[3] !== '*') (spec as any)[m[4] === ']' ? 'lte' : 'lt'] = m[3];
    return or(fields.map(f => rangePredicate(f, spec, opts.now)));
  }
  if (tok.t === 'phrase')
    return or(
      fields.map(f =>
        lenient(() => valueMatcher(f, tok.v, 'phrase', opts.now)),
      ),
    );
  if (tok.t === 'word') {
    const cmp = /^(>=|<=|>|<)(.+)$/.exec(tok.v);
    if (cmp && field) {
      const key = { '>=': 'gte', '<=': 'lte', '>': 'gt', '<': 'lt' }[cmp[1]]!;
      return or(
        fields.map(f => rangePredicate(f, { [key]: cmp[2] }, opts.now)),
      );
    }
    if (tok.v === '*' && field) {
      return or(
        fields.map(
          f => (d: DocView) =>
            fieldValue(d, normalizeField(f).field) !== undefined,
        ),
      );
    }
    const kind = /[*?]/.test(tok.v) ? 'wildcard' : 'match';
    return or(
      fields.map(f => lenient(() => valueMatcher(f, tok.v, kind, opts.now))),
    );
  }
  throw new EsQueryError(
    'query_shard_exception',
    'Failed to parse query: unexpected token',
  );
}

/** Without an explicit field, a value that does not fit a field's type simply does not match. */
function lenient(make: () => Predicate): Predicate {
  try {
    return make();
  } catch {
    return () => false;
  }
}

/** Parses Lucene query syntax into a predicate. */
export function compileQueryString(query: string, opts: QsOptions): Predicate {
  const toks = tokenize(query);
  let pos = 0;
  const peek = () => toks[pos];
  const fail = (msg: string) =>
    new EsQueryError(
      'query_shard_exception',
      `Failed to parse query [${query}]: ${msg}`,
    );

  function parseOr(): Predicate {
    const parts = [parseAnd()];
    while (peek()?.t === 'op' && (peek() as any).v === 'OR') {
      pos++;
      parts.push(parseAnd());
    }
    return parts.length === 1 ? parts[0] : or(parts);
  }

  function startsClause(t: Token | undefined): boolean {
    return (
      !!t &&
      (t.t === 'word' ||
        t.t === 'phrase' ||
        t.t === 'lparen' ||
        t.t === 'plus' ||
        t.t === 'minus' ||
        t.t === 'range' ||
        (t.t === 'op' && t.v === 'NOT'))
    );
  }

  function parseAnd(): Predicate {
    // Clauses joined by AND, or by nothing (then the default operator decides).
    const required: Predicate[] = [parseUnary()];
    const optional: Predicate[] = [];
    for (;;) {
      const t = peek();
      if (t?.t === 'op' && t.v === 'AND') {
        pos++;
        required.push(parseUnary());
      } else if (startsClause(t)) {
        const p = parseUnary();
        if (opts.defaultOperator === 'AND') required.push(p);
        else optional.push(p);
      } else {
        break;
      }
    }
    const all = and(required);
    return optional.length ? or([all, ...optional]) : all;
  }

  function parseUnary(): Predicate {
    const t = peek();
    if (t?.t === 'op' && t.v === 'NOT') {
      pos++;
      const p = parseUnary();
      return d => !p(d);
    }
    if (t?.t === 'minus') {
      pos++;
      const p = parseUnary();
      return d => !p(d);
    }
    if (t?.t === 'plus') {
      pos++;
      return parseUnary();
    }
    return parsePrimary(undefined);
  }

  function parsePrimary(field: string | undefined): Predicate {
    const t = peek();
    if (!t) throw fail('unexpected end of query');
    if (t.t === 'lparen') {
      pos++;
      const inner = field ? parseFieldGroup(field) : parseOr();
      if (peek()?.t !== 'rparen') throw fail('missing closing parenthesis');
      pos++;
      return inner;
    }
    if (t.t === 'word' && !field && toks[pos + 1]?.t === 'colon') {
      pos += 2;
      return parsePrimary(t.v);
    }
    if (t.t === 'word' || t.t === 'phrase' || t.t === 'range') {
      pos++;
      return termPredicate(field, t, opts);
    }
    throw fail(`unexpected token ${t.t}`);
  }

  /** field:(a OR b "c"): every value of the group applies to the field. */
  function parseFieldGroup(field: string): Predicate {
    const sub: QsOptions = { ...opts, fields: [field] };
    const start = pos;
    let depth = 0;
    let end = pos;
    while (end < toks.length) {
      const tk = toks[end];
      if (tk.t === 'lparen') depth++;
      if (tk.t === 'rparen') {
        if (depth === 0) break;
        depth--;
      }
      end++;
    }
    const inner = toks.slice(start, end);
    pos = end;
    return compileTokens(inner, sub, query);
  }

  if (!toks.length) return () => true;
  const p = parseOr();
  if (pos < toks.length) throw fail(`unexpected ${toks[pos].t}`);
  return p;
}

function compileTokens(
  toks: Token[],
  opts: QsOptions,
  original: string,
): Predicate {
  // Rebuild a query string from tokens so the same parser handles the group.
  const text = toks
    .map(t => {
      switch (t.t) {
        case 'word':
          return t.v.replace(/([():"])/g, '\\$1');
        case 'phrase':
          return `"${t.v.replace(/"/g, '\\"')}"`;
        case 'op':
          return t.v;
        case 'lparen':
          return '(';
        case 'rparen':
          return ')';
        case 'colon':
          return ':';
        case 'plus':
          return '+';
        case 'minus':
          return '-';
        default:
          return t.v;
      }
    })
    .join(' ');
  void original;
  return compileQueryString(text, opts);
}

/** simple_query_string: terms and "phrases", + (and), | (or), - (not), * suffix, parentheses. */
export function compileSimpleQueryString(
  query: string,
  opts: QsOptions,
): Predicate {
  const translated = query
    .replace(/\|/g, ' OR ')
    .replace(/(^|\s)\+/g, '$1')
    .replace(/:/g, '\\:');
  try {
    return compileQueryString(translated, opts);
  } catch {
    // simple_query_string never fails on syntax: fall back to plain terms.
    const words = tokens(query);
    return compileQueryString(words.join(' '), opts);
  }
}
