/*
 * Test helper: validates JSON answers against OpenAPI 3.0 documents with ajv. OpenAPI 3.0 is
 * not JSON Schema, so each document is converted first: `nullable` becomes a null alternative,
 * `oneOf` is checked as `anyOf` (several vendor unions overlap, e.g. PagerDuty's Channel
 * variants have no required fields and no discriminator, so any value matches more than one),
 * and formats the vendors invented (url, tzinfo, ...) are accepted as any string. Known defects
 * of the official documents are patched by `errata`, each with its reason.
 */
import fs from 'node:fs';
import path from 'node:path';
import Ajv, { ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';

export interface Erratum {
  /** JSON pointer inside the document (after conversion), e.g. '/components/schemas/X'. */
  pointer: string;
  /** Replaces the schema at the pointer. */
  replace: (schema: any) => any;
  why: string;
}

const KNOWN_FORMATS = new Set([
  'date-time',
  'date',
  'time',
  'email',
  'uri',
  'uri-reference',
  'uuid',
  'ipv4',
  'ipv6',
  'hostname',
  'regex',
  'int32',
  'int64',
  'float',
  'double',
  'byte',
  'binary',
  'password',
]);

function convert(node: any, formats: Set<string>): any {
  if (Array.isArray(node)) return node.map(n => convert(n, formats));
  if (!node || typeof node !== 'object') return node;
  const out: any = {};
  for (const [k, v] of Object.entries(node)) {
    if (
      k === 'example' ||
      k === 'examples' ||
      k === 'discriminator' ||
      k === 'xml' ||
      k === 'externalDocs'
    )
      continue;
    if (k === 'oneOf') out.anyOf = convert(v, formats);
    else out[k] = convert(v, formats);
  }
  if (typeof out.format === 'string' && !KNOWN_FORMATS.has(out.format))
    formats.add(out.format);
  if (out.nullable === true) {
    delete out.nullable;
    return { anyOf: [{ type: 'null' }, out] };
  }
  delete out.nullable;
  return out;
}

function pointerGet(doc: any, pointer: string): { parent: any; key: string } {
  const parts = pointer
    .split('/')
    .slice(1)
    .map(p => p.replace(/~1/g, '/').replace(/~0/g, '~'));
  let parent = doc;
  for (let i = 0; i < parts.length - 1; i++) {
    parent = parent[parts[i]];
    if (parent === undefined)
      throw new Error(`erratum pointer ${pointer} not found`);
  }
  return { parent, key: parts[parts.length - 1] };
}

export function escapePointer(s: string): string {
  return s.replace(/~/g, '~0').replace(/\//g, '~1');
}

export class OpenApiValidator {
  private readonly ajv: Ajv;
  private readonly cache = new Map<string, ValidateFunction>();
  private readonly raw = new Map<string, any>();

  constructor(docs: Record<string, { file: string; errata?: Erratum[] }>) {
    this.ajv = new Ajv({
      strict: false,
      allErrors: true,
      validateSchema: false,
      allowUnionTypes: true,
    });
    addFormats(this.ajv);
    const formats = new Set<string>();
    for (const [id, { file, errata }] of Object.entries(docs)) {
      const raw = JSON.parse(fs.readFileSync(file, 'utf8'));
      const converted = convert(raw, formats);
      for (const e of errata ?? []) {
        const { parent, key } = pointerGet(converted, e.pointer);
        parent[key] = e.replace(parent[key]);
      }
      converted.$id = id;
      this.raw.set(id, converted);
      this.ajv.addSchema(converted, id);
    }
    for (const f of formats)
      if (!KNOWN_FORMATS.has(f)) this.ajv.addFormat(f, true);
    // 'int32'/'int64'/... are OpenAPI type formats, not string formats.
    for (const f of [
      'int32',
      'int64',
      'float',
      'double',
      'byte',
      'binary',
      'password',
    ])
      this.ajv.addFormat(f, true);
  }

  /** Validator of a schema inside a document, e.g. ('pd', '/paths/~1incidents/get/responses/200/content/application~1json/schema'). */
  schema(doc: string, pointer: string): ValidateFunction {
    const key = `${doc}#${pointer}`;
    let v = this.cache.get(key);
    if (!v) {
      v = this.ajv.compile({ $ref: key });
      this.cache.set(key, v);
    }
    return v;
  }

  /** Validator of an operation's response body: resolves a `$ref` to components.responses too. */
  response(
    doc: string,
    apiPath: string,
    method: string,
    status: string,
    mediaType = 'application/json',
  ): ValidateFunction {
    const raw = this.raw.get(doc);
    let resp = raw?.paths?.[apiPath]?.[method]?.responses?.[status];
    if (!resp)
      throw new Error(
        `${doc}: no ${method.toUpperCase()} ${apiPath} ${status} response`,
      );
    let pointer = `/paths/${escapePointer(
      apiPath,
    )}/${method}/responses/${status}`;
    for (let i = 0; i < 5 && resp.$ref; i++) {
      pointer = resp.$ref.slice(1);
      const at = pointerGet(raw, pointer);
      resp = at.parent[at.key];
    }
    return this.schema(
      doc,
      `${pointer}/content/${escapePointer(mediaType)}/schema`,
    );
  }

  /** Throws with a readable message when the value does not match. */
  static assert(
    validate: ValidateFunction,
    value: unknown,
    what: string,
  ): void {
    if (!validate(value)) {
      const errors = (validate.errors ?? [])
        .slice(0, 12)
        .map(
          e =>
            `${e.instancePath || '/'} ${e.message} ${JSON.stringify(e.params)}`,
        )
        .join('\n  ');
      throw new Error(
        `${what} does not match the official schema:\n  ${errors}`,
      );
    }
  }
}

/** <repo>/../shared/specs, or undefined when that folder is absent. */
export function sharedSpecsDir(): string | undefined {
  const pkg = path.dirname(
    require.resolve('@dash-suite/upstream-sandbox/package.json'),
  );
  const dir = path.resolve(pkg, '..', '..', '..', 'shared', 'specs');
  return fs.existsSync(path.join(dir, 'pagerduty-rest.json')) ? dir : undefined;
}

/** The api.github.com document shipped by @octokit/openapi (not its GHES or GHEC variants). */
export function octokitOpenApiFile(): string {
  return path.join(
    path.dirname(require.resolve('@octokit/openapi/package.json')),
    'generated',
    'api.github.com.json',
  );
}
