/*
 * Aggregations over the matched documents: date_histogram (fixed_interval, calendar_interval,
 * min_doc_count, extended_bounds, hard_bounds, time_zone as UTC or a fixed offset, format),
 * terms, filter, filters, and the metrics min, max, avg, sum, value_count and cardinality,
 * nested through `aggs`/`aggregations`.
 */
import { DocView, FIELD_TYPES, fieldValue, normalizeField } from './docs';
import { EsQueryError, compileQuery, parseDate } from './query';
import { compare } from '../../util';

const MAX_BUCKETS = 65_536;

const FIXED: Record<string, number> = {
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
};
const CALENDAR: Record<string, string> = {
  minute: 'm',
  '1m': 'm',
  hour: 'h',
  '1h': 'h',
  day: 'd',
  '1d': 'd',
  week: 'w',
  '1w': 'w',
  month: 'M',
  '1M': 'M',
  quarter: 'q',
  '1q': 'q',
  year: 'y',
  '1y': 'y',
};

function parseFixed(value: string): number {
  const m = /^(\d+)(ms|s|m|h|d)$/.exec(value);
  if (!m) {
    throw new EsQueryError(
      'illegal_argument_exception',
      `failed to parse setting [date_histogram.fixedInterval] with value [${value}] as a time value: unit is missing or unrecognized`,
    );
  }
  return Number(m[1]) * FIXED[m[2]];
}

/** Offset in ms of a time zone: UTC names and fixed offsets (+02:00) only. */
function zoneOffset(tz: string | undefined): number {
  if (
    !tz ||
    [
      'UTC',
      'Z',
      'Etc/UTC',
      'GMT',
      'Etc/GMT',
      'utc',
      '+00:00',
      '-00:00',
    ].includes(tz)
  )
    return 0;
  const m = /^([+-])(\d{2}):?(\d{2})$/.exec(tz);
  if (!m) {
    throw new EsQueryError(
      'illegal_argument_exception',
      `time_zone [${tz}] is not supported by the sandbox: use UTC or a fixed offset like +02:00`,
    );
  }
  return (
    (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 3_600_000 + Number(m[3]) * 60_000)
  );
}

function pad(n: number, w = 2): string {
  return String(n).padStart(w, '0');
}

/** Formats a bucket key: ISO 8601 in the zone (default), epoch_millis, epoch_second, or a yyyy-MM-dd HH:mm:ss pattern. */
function formatKey(
  key: number,
  offset: number,
  format: string | undefined,
): string {
  if (format === 'epoch_millis') return String(key);
  if (format === 'epoch_second') return String(Math.floor(key / 1000));
  const d = new Date(key + offset);
  if (
    format &&
    ![
      'strict_date_optional_time',
      'date_optional_time',
      'strict_date_time',
      'date_time',
    ].includes(format)
  ) {
    return format
      .replace(/yyyy|uuuu/g, String(d.getUTCFullYear()))
      .replace(/MM/g, pad(d.getUTCMonth() + 1))
      .replace(/dd/g, pad(d.getUTCDate()))
      .replace(/HH/g, pad(d.getUTCHours()))
      .replace(/mm/g, pad(d.getUTCMinutes()))
      .replace(/ss/g, pad(d.getUTCSeconds()))
      .replace(/SSS/g, pad(d.getUTCMilliseconds(), 3));
  }
  const iso = d.toISOString().replace('Z', '');
  if (offset === 0) return `${iso}Z`;
  const sign = offset < 0 ? '-' : '+';
  const abs = Math.abs(offset);
  return `${iso}${sign}${pad(Math.floor(abs / 3_600_000))}:${pad(
    Math.floor((abs % 3_600_000) / 60_000),
  )}`;
}

function calendarFloor(t: number, unit: string, offset: number): number {
  const d = new Date(t + offset);
  let local: number;
  switch (unit) {
    case 'm':
      local = Math.floor((t + offset) / 60_000) * 60_000;
      break;
    case 'h':
      local = Math.floor((t + offset) / 3_600_000) * 3_600_000;
      break;
    case 'd':
      local = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate());
      break;
    case 'w': {
      const dow = (d.getUTCDay() + 6) % 7;
      local = Date.UTC(
        d.getUTCFullYear(),
        d.getUTCMonth(),
        d.getUTCDate() - dow,
      );
      break;
    }
    case 'M':
      local = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
      break;
    case 'q':
      local = Date.UTC(
        d.getUTCFullYear(),
        Math.floor(d.getUTCMonth() / 3) * 3,
        1,
      );
      break;
    default:
      local = Date.UTC(d.getUTCFullYear(), 0, 1);
  }
  return local - offset;
}

function calendarNext(key: number, unit: string, offset: number): number {
  const d = new Date(key + offset);
  let local: number;
  switch (unit) {
    case 'm':
      return key + 60_000;
    case 'h':
      return key + 3_600_000;
    case 'd':
      local = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() + 1);
      break;
    case 'w':
      local = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() + 7);
      break;
    case 'M':
      local = Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
      break;
    case 'q':
      local = Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 3, 1);
      break;
    default:
      local = Date.UTC(d.getUTCFullYear() + 1, 0, 1);
  }
  return local - offset;
}

export interface AggContext {
  now: number;
  typedKeys: boolean;
}

/** Runs the aggregations of a request over the matched documents. */
export function runAggs(
  defs: unknown,
  docs: DocView[],
  ctx: AggContext,
): Record<string, unknown> {
  if (!defs || typeof defs !== 'object')
    throw new EsQueryError(
      'parsing_exception',
      'Expected [START_OBJECT] under [aggs]',
    );
  const out: Record<string, unknown> = {};
  for (const [name, def] of Object.entries(defs as Record<string, any>)) {
    if (!def || typeof def !== 'object')
      throw new EsQueryError(
        'parsing_exception',
        `Expected [START_OBJECT] under [${name}]`,
      );
    const sub = def.aggs ?? def.aggregations;
    const types = Object.keys(def).filter(
      k => k !== 'aggs' && k !== 'aggregations' && k !== 'meta',
    );
    if (types.length !== 1)
      throw new EsQueryError(
        'parsing_exception',
        `Expected exactly one aggregation type under [${name}], found [${types.join(
          ', ',
        )}]`,
      );
    const type = types[0];
    const result = runAgg(type, def[type], sub, docs, ctx, name);
    if (def.meta) result.meta = def.meta;
    out[ctx.typedKeys ? `${typedName(type)}#${name}` : name] = result;
  }
  return out;
}

function typedName(type: string): string {
  return (
    {
      terms: 'sterms',
      min: 'min',
      max: 'max',
      avg: 'avg',
      sum: 'sum',
      value_count: 'value_count',
      cardinality: 'cardinality',
    }[type] ?? type
  );
}

function withSub(
  bucket: Record<string, unknown>,
  sub: unknown,
  docs: DocView[],
  ctx: AggContext,
): Record<string, unknown> {
  return sub ? { ...bucket, ...runAggs(sub, docs, ctx) } : bucket;
}

function fieldOf(spec: any, name: string): string {
  if (!spec || typeof spec.field !== 'string')
    throw new EsQueryError(
      'illegal_argument_exception',
      `Required one of fields [field, script], but none were specified in [${name}]`,
    );
  return normalizeField(spec.field).field;
}

function runAgg(
  type: string,
  spec: any,
  sub: unknown,
  docs: DocView[],
  ctx: AggContext,
  name: string,
): Record<string, unknown> {
  switch (type) {
    case 'date_histogram':
      return dateHistogram(spec, sub, docs, ctx, name);
    case 'terms': {
      const field = fieldOf(spec, name);
      const size = Number(spec.size ?? 10);
      const minDocCount = Number(spec.min_doc_count ?? 1);
      const groups = new Map<string | number, DocView[]>();
      for (const d of docs) {
        const v = fieldValue(d, field) ?? spec.missing;
        if (v === undefined) continue;
        const list = groups.get(v);
        if (list) list.push(d);
        else groups.set(v, [d]);
      }
      const order = spec.order ?? { _count: 'desc' };
      const [orderKey, orderDir] = Object.entries(order)[0] as [string, string];
      const entries = [...groups.entries()].filter(
        ([, l]) => l.length >= minDocCount,
      );
      entries.sort((a, b) => {
        const sign = orderDir === 'asc' ? 1 : -1;
        if (orderKey === '_key') return compare(a[0], b[0]) * sign;
        return (a[1].length - b[1].length) * sign || (a[0] < b[0] ? -1 : 1);
      });
      const kept = entries.slice(0, size);
      const other = entries.slice(size).reduce((n, e) => n + e[1].length, 0);
      const isDate = FIELD_TYPES[field] === 'date';
      return {
        doc_count_error_upper_bound: 0,
        sum_other_doc_count: other,
        buckets: kept.map(([key, list]) =>
          withSub(
            {
              key,
              ...(isDate
                ? { key_as_string: new Date(Number(key)).toISOString() }
                : {}),
              doc_count: list.length,
            },
            sub,
            list,
            ctx,
          ),
        ),
      };
    }
    case 'filter': {
      const p = compileQuery(spec, ctx.now);
      const list = docs.filter(p);
      return withSub({ doc_count: list.length }, sub, list, ctx);
    }
    case 'filters': {
      const filters = spec.filters;
      if (Array.isArray(filters)) {
        return {
          buckets: filters.map(f => {
            const list = docs.filter(compileQuery(f, ctx.now));
            return withSub({ doc_count: list.length }, sub, list, ctx);
          }),
        };
      }
      const buckets: Record<string, unknown> = {};
      for (const [k, f] of Object.entries(filters ?? {})) {
        const list = docs.filter(compileQuery(f, ctx.now));
        buckets[k] = withSub({ doc_count: list.length }, sub, list, ctx);
      }
      return { buckets };
    }
    case 'min':
    case 'max':
    case 'avg':
    case 'sum': {
      const field = fieldOf(spec, name);
      const values = docs
        .map(d => fieldValue(d, field))
        .filter((v): v is number => typeof v === 'number');
      let value: number | null = null;
      if (values.length) {
        if (type === 'min') value = Math.min(...values);
        else if (type === 'max') value = Math.max(...values);
        else {
          const sum = values.reduce((a, b) => a + b, 0);
          value = type === 'sum' ? sum : sum / values.length;
        }
      } else if (type === 'sum') {
        value = 0;
      }
      const out: Record<string, unknown> = { value };
      if (
        FIELD_TYPES[field] === 'date' &&
        value !== null &&
        (type === 'min' || type === 'max')
      )
        out.value_as_string = new Date(value).toISOString();
      return out;
    }
    case 'value_count': {
      const field = fieldOf(spec, name);
      return {
        value: docs.filter(d => fieldValue(d, field) !== undefined).length,
      };
    }
    case 'cardinality': {
      const field = fieldOf(spec, name);
      return {
        value: new Set(
          docs.map(d => fieldValue(d, field)).filter(v => v !== undefined),
        ).size,
      };
    }
    default:
      throw new EsQueryError(
        'parsing_exception',
        `Unknown aggregation type [${type}] did you mean one of [date_histogram, terms, filter, filters, min, max, avg, sum, value_count, cardinality]?`,
      );
  }
}

function dateHistogram(
  spec: any,
  sub: unknown,
  docs: DocView[],
  ctx: AggContext,
  name: string,
): Record<string, unknown> {
  const field = fieldOf(spec, name);
  if (FIELD_TYPES[field] !== 'date') {
    throw new EsQueryError(
      'illegal_argument_exception',
      `Field [${field}] of type [${
        FIELD_TYPES[field] ?? 'unmapped'
      }] is not supported for aggregation [date_histogram]`,
    );
  }
  const offset = zoneOffset(spec.time_zone);
  let floor: (t: number) => number;
  let next: (k: number) => number;
  const calendar =
    spec.calendar_interval ??
    (spec.interval && CALENDAR[spec.interval] ? spec.interval : undefined);
  const fixed =
    spec.fixed_interval ??
    (spec.interval && !CALENDAR[spec.interval] ? spec.interval : undefined);
  if (calendar) {
    const unit = CALENDAR[calendar];
    if (!unit)
      throw new EsQueryError(
        'illegal_argument_exception',
        `The supplied interval [${calendar}] could not be parsed as a calendar interval.`,
      );
    floor = t => calendarFloor(t, unit, offset);
    next = k => calendarNext(k, unit, offset);
  } else if (fixed) {
    const ms = parseFixed(String(fixed));
    const shift = offset;
    floor = t => Math.floor((t + shift) / ms) * ms - shift;
    next = k => k + ms;
  } else {
    throw new EsQueryError(
      'illegal_argument_exception',
      `Invalid interval specified, must be non-null and non-empty`,
    );
  }
  const minDocCount = Number(spec.min_doc_count ?? 0);
  const groups = new Map<number, DocView[]>();
  let minKey = Infinity;
  let maxKey = -Infinity;
  const hard = spec.hard_bounds
    ? {
        min:
          spec.hard_bounds.min !== undefined
            ? parseDate(spec.hard_bounds.min, spec.format, ctx.now)
            : -Infinity,
        max:
          spec.hard_bounds.max !== undefined
            ? parseDate(spec.hard_bounds.max, spec.format, ctx.now)
            : Infinity,
      }
    : undefined;
  for (const d of docs) {
    const t = fieldValue(d, field) as number;
    if (hard && (t < hard.min || t > hard.max)) continue;
    const k = floor(t);
    const list = groups.get(k);
    if (list) list.push(d);
    else groups.set(k, [d]);
    if (k < minKey) minKey = k;
    if (k > maxKey) maxKey = k;
  }
  if (spec.extended_bounds && minDocCount === 0) {
    const eb = spec.extended_bounds;
    if (eb.min !== undefined)
      minKey = Math.min(minKey, floor(parseDate(eb.min, spec.format, ctx.now)));
    if (eb.max !== undefined)
      maxKey = Math.max(
        maxKey,
        floor(parseDate(eb.max, spec.format, ctx.now, true)),
      );
  }
  const buckets: Array<Record<string, unknown>> = [];
  if (minKey !== Infinity) {
    if (minDocCount === 0) {
      for (let k = minKey; k <= maxKey; k = next(k)) {
        if (buckets.length >= MAX_BUCKETS) {
          throw new EsQueryError(
            'too_many_buckets_exception',
            `Trying to create too many buckets. Must be less than or equal to: [${MAX_BUCKETS}] but this number of buckets was exceeded. This limit can be set by changing the [search.max_buckets] cluster level setting.`,
          );
        }
        const list = groups.get(k) ?? [];
        buckets.push(
          withSub(
            {
              key_as_string: formatKey(k, offset, spec.format),
              key: k,
              doc_count: list.length,
            },
            sub,
            list,
            ctx,
          ),
        );
      }
    } else {
      for (const k of [...groups.keys()].sort((a, b) => a - b)) {
        const list = groups.get(k)!;
        if (list.length < minDocCount) continue;
        buckets.push(
          withSub(
            {
              key_as_string: formatKey(k, offset, spec.format),
              key: k,
              doc_count: list.length,
            },
            sub,
            list,
            ctx,
          ),
        );
      }
    }
  }
  if (spec.order && Object.entries(spec.order)[0]?.[1] === 'desc')
    buckets.reverse();
  return { buckets };
}
