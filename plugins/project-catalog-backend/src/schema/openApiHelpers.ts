import { z } from 'zod';

/** Helpers that build OpenAPI fragments from the zod schemas the routes validate with. */

/** One OpenAPI path item per route, keyed by path. */
export type OpenApiPaths = Record<string, Record<string, unknown>>;
type Schema = Record<string, unknown>;

export const jsonSchema = (schema: z.ZodType, io: 'input' | 'output') =>
  z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as Schema;

/** The query parameters of a zod object schema. */
export function queryParameters(schema: z.ZodObject<any>) {
  const s = jsonSchema(schema, 'input') as {
    properties: Record<string, Schema>;
    required?: string[];
  };
  return Object.entries(s.properties).map(([name, p]) => ({
    name,
    in: 'query',
    required: s.required?.includes(name) ?? false,
    schema: p,
  }));
}

const errorSchema = {
  type: 'object',
  properties: {
    error: {
      type: 'object',
      properties: { name: { type: 'string' }, message: { type: 'string' } },
    },
  },
};

/** The usual error answers; `extra` adds route-specific ones (409, 503). */
export function errorResponses(extra: Record<string, string> = {}) {
  const all: Record<string, string> = {
    '400': 'Bad input; the message names the field',
    '401': 'Not signed in',
    '403': 'Not allowed',
    '404': 'No such entity, or the caller may not read it',
    ...extra,
  };
  return Object.fromEntries(
    Object.entries(all).map(([code, description]) => [
      code,
      { description, content: { 'application/json': { schema: errorSchema } } },
    ]),
  );
}

export const jsonBody = (schema: z.ZodType) => ({
  required: true,
  content: { 'application/json': { schema: jsonSchema(schema, 'input') } },
});

export const ok = (
  description: string,
  schema: Schema = { type: 'object' },
) => ({
  description,
  content: { 'application/json': { schema } },
});
