/*
 * One simulated upstream on one loopback port: route matching, faults, auth, logging, and
 * writing the answer (optionally malformed or dripped slowly). The upstream modules supply
 * routes and their own error shapes; this file knows nothing of PagerDuty or GitHub.
 */
import http, { IncomingMessage, ServerResponse } from 'node:http';
import { AddressInfo, Socket } from 'node:net';
import { FaultSpec, UpstreamName } from '../types';
import { Rng } from '../random';
import { RequestLog } from './log';

export interface Ctx {
  req: IncomingMessage;
  method: string;
  /** Decoded path without the query. */
  path: string;
  query: URLSearchParams;
  params: Record<string, string>;
  /** Parsed JSON body (undefined when there is none). */
  body: unknown;
  rawBody: string;
  /** http://127.0.0.1:<port> */
  baseUrl: string;
  /** The request URL as received (path and query). */
  rawUrl: string;
  route: string;
}

export interface Reply {
  status: number;
  headers?: Record<string, string | number | string[]>;
  /** Serialized as JSON. */
  body?: unknown;
  /** Sent as is, when set (instead of body). */
  text?: string;
}

export type Handler = (ctx: Ctx) => Reply | Promise<Reply>;

/** Thrown by handlers to answer with an error reply. */
export class HttpError extends Error {
  constructor(readonly reply: Reply) {
    super(`HTTP ${reply.status}`);
  }
}

export interface RouteDef {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /**
   * Path template with {name} segments, e.g. '/repos/{owner}/{repo}/commits'; a last segment
   * {+name} takes the rest of the path, slashes included (RFC 6570 reserved expansion).
   */
  path: string;
  handler: Handler;
}

interface CompiledRoute extends RouteDef {
  regex: RegExp;
  keys: string[];
  label: string;
}

export interface UpstreamDef {
  name: UpstreamName;
  routes: RouteDef[];
  /** Undefined when the request may proceed, else the refusal (401). */
  authenticate(ctx: Ctx): Reply | undefined;
  /** The 401 of the `unauthorized` fault. */
  unauthorized(ctx: Ctx): Reply;
  /** A 5xx of the `errorRate` fault. */
  serverError(status: number, ctx: Ctx): Reply;
  /** The refusal of the `rateLimit` fault ("429 storm"). */
  rateLimited(spec: NonNullable<FaultSpec['rateLimit']>, ctx: Ctx): Reply;
  notFound(ctx: Ctx): Reply;
  /** The 400 of a request body that is not JSON (undefined: `{message}`). */
  invalidBody?(ctx: Ctx): Reply | undefined;
  /** Wraps the handler: rate budgets, ETags. */
  around?(ctx: Ctx, run: () => Promise<Reply>): Promise<Reply>;
  /** Headers every answer carries (e.g. x-elastic-product). */
  decorate?(ctx: Ctx, reply: Reply): void;
  /** Content type of JSON answers. */
  contentType?(ctx: Ctx): string;
}

function compile(route: RouteDef): CompiledRoute {
  const keys: string[] = [];
  const pattern = route.path
    .split('/')
    .map(seg => {
      const m = /^\{(\+?)(\w+)\}$/.exec(seg);
      if (m) {
        keys.push(m[2]);
        return m[1] ? '(.+?)' : '([^/]+)';
      }
      return seg.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    })
    .join('/');
  return {
    ...route,
    regex: new RegExp(`^${pattern}/?$`),
    keys,
    label: `${route.method} ${route.path.replace('{+', '{')}`,
  };
}

function sleep(ms: number): Promise<void> {
  return new Promise(resolve => setTimeout(resolve, ms));
}

const MAX_BODY = 5 * 1024 * 1024;

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) {
        reject(new Error('body too large'));
        req.destroy();
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

export class UpstreamServer {
  private readonly server: http.Server;
  private readonly routes: CompiledRoute[];
  private faults: FaultSpec | undefined;
  private readonly rng: Rng;
  private readonly sockets = new Set<Socket>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private closed = false;
  private port = 0;

  constructor(
    private readonly def: UpstreamDef,
    private readonly log: RequestLog,
    seed: number,
    faults?: FaultSpec,
  ) {
    this.routes = def.routes.map(compile);
    this.faults = faults;
    this.rng = new Rng(seed, 'faults', def.name);
    this.server = http.createServer((req, res) => {
      this.handle(req, res).catch(err => {
        if (!res.headersSent && !res.destroyed) {
          res.statusCode = 500;
          res.setHeader('content-type', 'application/json');
          res.end(
            JSON.stringify({
              message: `sandbox error: ${String(err?.message ?? err)}`,
            }),
          );
        }
      });
    });
    this.server.keepAliveTimeout = 5000;
    this.server.on('connection', socket => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
  }

  get name(): UpstreamName {
    return this.def.name;
  }

  setFaults(faults: FaultSpec | undefined): void {
    this.faults =
      faults && Object.keys(faults).length ? { ...faults } : undefined;
  }

  getFaults(): FaultSpec | undefined {
    return this.faults;
  }

  async listen(port: number): Promise<string> {
    await new Promise<void>((resolve, reject) => {
      const onError = (err: Error) => reject(err);
      this.server.once('error', onError);
      this.server.listen(port, '127.0.0.1', () => {
        this.server.off('error', onError);
        resolve();
      });
    });
    this.port = (this.server.address() as AddressInfo).port;
    return this.url;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    const done = new Promise<void>(resolve =>
      this.server.close(() => resolve()),
    );
    this.server.closeAllConnections();
    for (const s of this.sockets) s.destroy();
    await done;
  }

  private timer(ms: number): Promise<void> {
    return new Promise(resolve => {
      const t = setTimeout(() => {
        this.timers.delete(t);
        resolve();
      }, ms);
      this.timers.add(t);
    });
  }

  private match(
    method: string,
    path: string,
  ): {
    route?: CompiledRoute;
    params: Record<string, string>;
    methodMismatch: boolean;
  } {
    const m = method === 'HEAD' ? 'GET' : method;
    let methodMismatch = false;
    for (const route of this.routes) {
      const hit = route.regex.exec(path);
      if (!hit) continue;
      if (route.method !== m) {
        methodMismatch = true;
        continue;
      }
      const params: Record<string, string> = {};
      route.keys.forEach((k, i) => {
        params[k] = decodeURIComponent(hit[i + 1]);
      });
      return { route, params, methodMismatch: false };
    }
    return { params: {}, methodMismatch };
  }

  private async handle(
    req: IncomingMessage,
    res: ServerResponse,
  ): Promise<void> {
    const at = Date.now();
    const method = (req.method ?? 'GET').toUpperCase();
    const url = new URL(req.url ?? '/', this.url);
    let path: string;
    try {
      path = decodeURIComponent(url.pathname);
    } catch {
      path = url.pathname;
    }
    const { route, params } = this.match(method, url.pathname);
    const label = route
      ? route.label.replace(/^GET/, method === 'HEAD' ? 'HEAD' : 'GET')
      : `${method} (unmatched)`;
    const faults = this.faults;
    const applies =
      !!faults && (!faults.pathPrefix || path.startsWith(faults.pathPrefix));
    const applied: string[] = [];
    const roll = (p: number | undefined) =>
      p !== undefined && p > 0 && this.rng.next() < p;

    if (applies && faults!.latencyMs !== undefined) {
      const l = faults!.latencyMs;
      const ms =
        typeof l === 'number'
          ? l
          : l.min + this.rng.next() * Math.max(0, l.max - l.min);
      if (ms > 0) {
        applied.push('latency');
        await this.timer(ms);
        if (this.closed) return;
      }
    }
    if (applies && roll(faults!.hangRate)) {
      applied.push('hang');
      this.log.add({
        upstream: this.def.name,
        method,
        path,
        route: label,
        status: 0,
        at,
        durationMs: Date.now() - at,
        fault: applied.join(','),
      });
      // Never answer: drain the body and keep the socket until stop().
      req.resume();
      return;
    }

    let rawBody = '';
    if (method !== 'GET' && method !== 'HEAD') {
      try {
        rawBody = await readBody(req);
      } catch {
        res.statusCode = 413;
        res.end();
        return;
      }
    }
    let body: unknown;
    let bodyError = false;
    // Form bodies (Slack's clients post application/x-www-form-urlencoded) stay in rawBody.
    const form = /^application\/x-www-form-urlencoded/i.test(
      String(req.headers['content-type'] ?? ''),
    );
    if (rawBody.trim() && !form) {
      try {
        body = JSON.parse(rawBody);
      } catch {
        bodyError = true;
      }
    }
    const ctx: Ctx = {
      req,
      method,
      path,
      query: url.searchParams,
      params,
      body,
      rawBody,
      baseUrl: this.url,
      rawUrl: req.url ?? '/',
      route: label,
    };

    let reply: Reply;
    try {
      if (applies && faults!.unauthorized) {
        applied.push('unauthorized');
        reply = this.def.unauthorized(ctx);
      } else if (
        applies &&
        faults!.rateLimit &&
        roll(faults!.rateLimit.rate ?? 1)
      ) {
        applied.push('rateLimit');
        reply = this.def.rateLimited(faults!.rateLimit, ctx);
      } else if (applies && roll(faults!.errorRate)) {
        applied.push('error');
        reply = this.def.serverError(this.rng.pick([500, 502, 503]), ctx);
      } else {
        const refusal = this.def.authenticate(ctx);
        if (refusal) {
          reply = refusal;
        } else if (bodyError) {
          reply = this.def.invalidBody?.(ctx) ?? {
            status: 400,
            body: { message: 'Request body is not valid JSON' },
          };
        } else if (!route) {
          reply = this.def.notFound(ctx);
        } else if (this.def.around) {
          reply = await this.def.around(ctx, async () => route.handler(ctx));
        } else {
          reply = await route.handler(ctx);
        }
      }
    } catch (err) {
      if (err instanceof HttpError) {
        reply = err.reply;
      } else {
        reply = this.def.serverError(500, ctx);
        reply.headers = {
          ...reply.headers,
          'x-sandbox-error': String((err as Error)?.message ?? err).slice(
            0,
            200,
          ),
        };
      }
    }
    this.def.decorate?.(ctx, reply);

    let payload: string;
    if (reply.text !== undefined) payload = reply.text;
    else if (reply.body !== undefined) payload = JSON.stringify(reply.body);
    else payload = '';
    let status = reply.status;
    const headers: Record<string, string | number | string[]> = {
      ...reply.headers,
    };
    if (payload && headers['content-type'] === undefined) {
      headers['content-type'] =
        this.def.contentType?.(ctx) ?? 'application/json; charset=utf-8';
    }
    if (applies && roll(faults!.malformedRate)) {
      applied.push('malformed');
      status = 200;
      const valid =
        payload.length > 2 ? payload : '{"data":[{"id":1,"value":"x"}]}';
      payload = `${valid.slice(
        0,
        Math.max(1, Math.floor(valid.length / 2)),
      )}\u0000{"truncated`;
      headers['content-type'] =
        this.def.contentType?.(ctx) ?? 'application/json; charset=utf-8';
      delete headers.etag;
    }
    const buf = Buffer.from(payload, 'utf8');
    headers['content-length'] = buf.length;
    const drip =
      applies &&
      faults!.slowDripMs !== undefined &&
      faults!.slowDripMs > 0 &&
      buf.length > 0 &&
      method !== 'HEAD';
    if (drip) {
      applied.push('slowDrip');
      delete headers['content-length'];
    }
    const finish = () =>
      this.log.add({
        upstream: this.def.name,
        method,
        path,
        route: label,
        status,
        at,
        durationMs: Date.now() - at,
        fault: applied.length ? applied.join(',') : undefined,
      });
    if (res.destroyed || this.closed) return;
    res.writeHead(status, headers as http.OutgoingHttpHeaders);
    if (method === 'HEAD' || status === 304 || status === 204) {
      res.end();
      finish();
      return;
    }
    if (!drip) {
      res.end(buf);
      finish();
      return;
    }
    // Slow drip: at most 20 chunks (small ones for small bodies), with the delay between them.
    const chunkSize = Math.max(16, Math.ceil(buf.length / 20));
    for (let off = 0; off < buf.length; off += chunkSize) {
      if (off > 0) {
        await this.timer(faults!.slowDripMs!);
        if (this.closed || res.destroyed) return;
      }
      res.write(buf.subarray(off, off + chunkSize));
    }
    res.end();
    finish();
  }
}

/** Waits (bounded) for a condition in tests and scripts. */
export async function waitFor(
  cond: () => boolean,
  timeoutMs: number,
  stepMs = 10,
): Promise<boolean> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (cond()) return true;
    await sleep(stepMs);
  }
  return cond();
}
