/*
 * Fault specs: validation (for the admin endpoint and the CLI) and the CLI's short syntax
 * `github=latency:300,error:0.1`.
 */
import { z } from 'zod';
import { FaultSpec, UPSTREAM_NAMES, UpstreamName } from './types';

const fraction = z.number().min(0).max(1);

export const faultSpecSchema = z
  .object({
    latencyMs: z
      .union([
        z.number().min(0).max(600_000),
        z
          .object({
            min: z.number().min(0).max(600_000),
            max: z.number().min(0).max(600_000),
          })
          .strict()
          .refine(v => v.max >= v.min, {
            message: 'latencyMs.max must be >= latencyMs.min',
          }),
      ])
      .optional(),
    errorRate: fraction.optional(),
    rateLimit: z
      .object({
        rate: fraction.optional(),
        retryAfterSec: z.number().int().min(0).max(86_400).optional(),
        status: z.union([z.literal(429), z.literal(403)]).optional(),
      })
      .strict()
      .optional(),
    hangRate: fraction.optional(),
    malformedRate: fraction.optional(),
    slowDripMs: z.number().min(0).max(60_000).optional(),
    unauthorized: z.boolean().optional(),
    pathPrefix: z.string().startsWith('/').optional(),
  })
  .strict();

/** Validates a fault spec; throws an Error with a readable message. */
export function parseFaultSpec(input: unknown): FaultSpec {
  const result = faultSpecSchema.safeParse(input);
  if (!result.success) {
    const msg = result.error.issues
      .map(i => `${i.path.length ? i.path.join('.') : 'body'}: ${i.message}`)
      .join('; ');
    throw new Error(`invalid fault spec: ${msg}`);
  }
  return result.data as FaultSpec;
}

export function isUpstreamName(name: string): name is UpstreamName {
  return (UPSTREAM_NAMES as readonly string[]).includes(name);
}

/**
 * Parses the CLI form `<upstream>=<fault>:<value>,...`, with faults latency:<ms>|<min>-<max>,
 * error:<rate>, ratelimit:<rate>[:<retryAfterSec>[:<status>]], hang:<rate>, malformed:<rate>,
 * drip:<ms>, unauthorized, prefix:<path>.
 */
export function parseFaultFlag(flag: string): {
  upstream: UpstreamName;
  spec: FaultSpec;
} {
  const eq = flag.indexOf('=');
  const upstream = flag.slice(0, eq);
  if (eq < 0 || !isUpstreamName(upstream)) {
    throw new Error(
      `--fault ${flag}: expected <upstream>=<fault>:<value>,... with upstream one of ${UPSTREAM_NAMES.join(
        ', ',
      )}`,
    );
  }
  const spec: Record<string, unknown> = {};
  for (const part of flag
    .slice(eq + 1)
    .split(',')
    .filter(Boolean)) {
    const [name, ...rest] = part.split(':');
    const value = rest.join(':');
    const num = () => {
      const n = Number(value);
      if (value === '' || Number.isNaN(n))
        throw new Error(`--fault ${flag}: ${name} needs a number`);
      return n;
    };
    switch (name) {
      case 'latency': {
        const range = /^(\d+)-(\d+)$/.exec(value);
        spec.latencyMs = range
          ? { min: Number(range[1]), max: Number(range[2]) }
          : num();
        break;
      }
      case 'error':
        spec.errorRate = num();
        break;
      case 'ratelimit': {
        const [rate, retry, status] = value.split(':');
        spec.rateLimit = {
          ...(rate ? { rate: Number(rate) } : {}),
          ...(retry ? { retryAfterSec: Number(retry) } : {}),
          ...(status ? { status: Number(status) } : {}),
        };
        break;
      }
      case 'hang':
        spec.hangRate = num();
        break;
      case 'malformed':
        spec.malformedRate = num();
        break;
      case 'drip':
        spec.slowDripMs = num();
        break;
      case 'unauthorized':
        spec.unauthorized = true;
        break;
      case 'prefix':
        spec.pathPrefix = value;
        break;
      default:
        throw new Error(
          `--fault ${flag}: unknown fault '${name}' (latency, error, ratelimit, hang, malformed, drip, unauthorized, prefix)`,
        );
    }
  }
  return { upstream, spec: parseFaultSpec(spec) };
}
