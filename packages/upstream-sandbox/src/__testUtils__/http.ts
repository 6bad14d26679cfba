/*
 * Test helper: requests to a running sandbox with each upstream's credential.
 */
import { Sandbox, UpstreamName } from '../types';

export function authHeader(sb: Sandbox, upstream: UpstreamName): string {
  const t = sb.tokens[upstream];
  switch (upstream) {
    case 'pagerduty':
      return `Token token=${t}`;
    case 'github':
      return `token ${t}`;
    case 'grafana':
    case 'slack':
    case 'kubernetes':
      return `Bearer ${t}`;
    default:
      return `ApiKey ${t}`;
  }
}

export interface JsonResponse<T = any> {
  status: number;
  headers: Headers;
  body: T;
  text: string;
}

/** fetch with the upstream's credential; parses JSON when there is a body. */
export async function call<T = any>(
  sb: Sandbox,
  upstream: UpstreamName,
  path: string,
  init: RequestInit & { auth?: boolean } = {},
): Promise<JsonResponse<T>> {
  const headers = new Headers(init.headers);
  if (init.auth !== false && !headers.has('authorization'))
    headers.set('authorization', authHeader(sb, upstream));
  if (init.body && !headers.has('content-type'))
    headers.set('content-type', 'application/json');
  const res = await fetch(`${sb.urls[upstream]}${path}`, {
    ...init,
    headers,
    signal: init.signal ?? AbortSignal.timeout(10_000),
  });
  const text = await res.text();
  let body: any;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    body = undefined;
  }
  return { status: res.status, headers: res.headers, body, text };
}

/** A fixed anchor for deterministic tests: 2025-03-12T12:00:00Z. */
export const FIXED_NOW = Date.UTC(2025, 2, 12, 12, 0, 0);
