/*
 * Query parameter helpers shared by the upstreams. Each upstream turns a ParamError into its
 * own 400 shape.
 */

export class ParamError extends Error {}

/** Values of a repeated parameter, accepting `name[]`, `name` and comma-separated lists. */
export function arrayParam(
  query: URLSearchParams,
  name: string,
  splitCommas = false,
): string[] {
  const values = [...query.getAll(`${name}[]`), ...query.getAll(name)];
  const out = splitCommas ? values.flatMap(v => v.split(',')) : values;
  return out.map(v => v.trim()).filter(v => v !== '');
}

export function intParam(
  query: URLSearchParams,
  name: string,
  def: number,
  opts: { min?: number; max?: number; clamp?: boolean } = {},
): number {
  const raw = query.get(name);
  if (raw === null || raw === '') return def;
  if (!/^-?\d+$/.test(raw.trim())) {
    throw new ParamError(`${name} must be an integer, got '${raw}'`);
  }
  let n = Number(raw);
  if (opts.min !== undefined && n < opts.min) {
    if (opts.clamp) n = opts.min;
    else throw new ParamError(`${name} must be at least ${opts.min}`);
  }
  if (opts.max !== undefined && n > opts.max) {
    if (opts.clamp) n = opts.max;
    else throw new ParamError(`${name} must be at most ${opts.max}`);
  }
  return n;
}

export function boolParam(
  query: URLSearchParams,
  name: string,
  def: boolean,
): boolean {
  const raw = query.get(name);
  if (raw === null || raw === '') return def;
  if (raw === 'true' || raw === '1') return true;
  if (raw === 'false' || raw === '0') return false;
  throw new ParamError(`${name} must be true or false, got '${raw}'`);
}

/** The bearer-like credential of an Authorization header: 'Token token=x', 'Bearer x', 'token x', 'ApiKey x'. */
export function credential(
  header: string | undefined,
): { scheme: string; value: string } | undefined {
  if (!header) return undefined;
  const m = /^\s*(\w+)\s+(.+?)\s*$/.exec(header);
  if (!m) return undefined;
  let value = m[2];
  const tokenEq = /^token="?([^"]+)"?$/i.exec(value);
  if (tokenEq) value = tokenEq[1];
  return { scheme: m[1].toLocaleLowerCase('en-US'), value };
}
