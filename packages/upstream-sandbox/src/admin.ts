/*
 * The admin HTTP server: the scenario with its stories, counters and the request log, faults
 * switched at run time, and the live replay.
 */
import http from 'node:http';
import { AddressInfo, Socket } from 'node:net';
import {
  FaultSpec,
  LiveReplay,
  RequestLogEntry,
  Scenario,
  UpstreamName,
} from './types';
import { isUpstreamName, parseFaultSpec } from './faults';

export interface AdminDeps {
  scenario: Scenario;
  urls: () => Record<string, string>;
  tokens: Record<UpstreamName, string>;
  requests(
    filter?: Partial<Pick<RequestLogEntry, 'upstream' | 'route'>>,
  ): RequestLogEntry[];
  counters(): Record<UpstreamName, Record<string, number>>;
  resetCounters(): void;
  setFaults(upstream: UpstreamName, faults: FaultSpec | undefined): void;
  getFaults(): Partial<Record<UpstreamName, FaultSpec>>;
  replayLive(options?: { stepMs?: number }): LiveReplay;
}

/** At most this many services (and repositories) are listed by GET /scenario (the scale scenario has up to 10,000). */
const LISTED_SERVICES = 200;

function send(res: http.ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body, null, 2);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
  });
  res.end(text);
}

function readJson(req: http.IncomingMessage): Promise<unknown> {
  return new Promise((resolve, reject) => {
    let text = '';
    req.setEncoding('utf8');
    req.on('data', c => {
      text += c;
      if (text.length > 1_000_000) {
        reject(new Error('body too large'));
        req.destroy();
      }
    });
    req.on('end', () => {
      if (!text.trim()) {
        resolve(undefined);
        return;
      }
      try {
        resolve(JSON.parse(text));
      } catch {
        reject(new Error('body is not valid JSON'));
      }
    });
    req.on('error', reject);
  });
}

export class AdminServer {
  private readonly server: http.Server;
  private readonly sockets = new Set<Socket>();

  constructor(private readonly deps: AdminDeps) {
    this.server = http.createServer((req, res) => {
      this.handle(req, res).catch(err =>
        send(res, 500, { error: String(err?.message ?? err) }),
      );
    });
    this.server.on('connection', s => {
      this.sockets.add(s);
      s.on('close', () => this.sockets.delete(s));
    });
  }

  async listen(port: number): Promise<string> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, '127.0.0.1', () => {
        this.server.off('error', reject);
        resolve();
      });
    });
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async close(): Promise<void> {
    const done = new Promise<void>(resolve =>
      this.server.close(() => resolve()),
    );
    this.server.closeAllConnections();
    for (const s of this.sockets) s.destroy();
    await done;
  }

  private async handle(
    req: http.IncomingMessage,
    res: http.ServerResponse,
  ): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const method = req.method ?? 'GET';
    const path = url.pathname.replace(/\/+$/, '') || '/';
    const d = this.deps;
    if (method === 'GET' && (path === '/' || path === '/health')) {
      return send(res, 200, { status: 'ok', urls: d.urls() });
    }
    if (method === 'GET' && path === '/scenario') {
      const s = d.scenario;
      const all = url.searchParams.get('services') === 'all';
      return send(res, 200, {
        kind: s.kind,
        seed: s.seed,
        now: s.now,
        nowIso: new Date(s.now).toISOString(),
        days: s.days,
        eventsPerDay: s.eventsPerDay,
        urls: d.urls(),
        tokens: d.tokens,
        serviceCount: s.services.length,
        services: all ? s.services : s.services.slice(0, LISTED_SERVICES),
        stories: s.stories,
        github: {
          ...s.github,
          repos: all
            ? s.github.repos
            : s.github.repos.slice(0, LISTED_SERVICES),
        },
        pagerduty: {
          services: all
            ? s.pagerduty.services
            : s.pagerduty.services.slice(0, LISTED_SERVICES),
        },
        live: s.live,
        faults: d.getFaults(),
      });
    }
    if (method === 'GET' && path === '/counters')
      return send(res, 200, d.counters());
    if (path === '/requests') {
      if (method === 'GET') {
        const upstream = url.searchParams.get('upstream') ?? undefined;
        if (upstream && !isUpstreamName(upstream))
          return send(res, 400, { error: `unknown upstream '${upstream}'` });
        const route = url.searchParams.get('route') ?? undefined;
        const limit = Math.min(
          100_000,
          Number(url.searchParams.get('limit') ?? 1000) || 1000,
        );
        const list = d.requests({
          upstream: upstream as UpstreamName | undefined,
          route,
        });
        return send(res, 200, {
          total: list.length,
          requests: list.slice(-limit),
        });
      }
      if (method === 'DELETE') {
        d.resetCounters();
        return send(res, 200, { reset: true });
      }
    }
    if (method === 'GET' && path === '/faults')
      return send(res, 200, d.getFaults());
    const faultMatch = /^\/faults\/([^/]+)$/.exec(path);
    if (faultMatch) {
      const upstream = faultMatch[1];
      if (!isUpstreamName(upstream)) {
        return send(res, 400, {
          error: `unknown upstream '${upstream}': use pagerduty, github, grafana, kibana or elasticsearch`,
        });
      }
      if (method === 'PUT') {
        let body: unknown;
        try {
          body = await readJson(req);
          const spec = parseFaultSpec(body ?? {});
          d.setFaults(upstream, spec);
          return send(res, 200, { upstream, faults: spec });
        } catch (e) {
          return send(res, 400, { error: String((e as Error).message) });
        }
      }
      if (method === 'DELETE') {
        d.setFaults(upstream, undefined);
        return send(res, 200, { upstream, faults: null });
      }
    }
    if (method === 'POST' && path === '/replay') {
      let body: any;
      try {
        body = (await readJson(req)) ?? {};
      } catch (e) {
        return send(res, 400, { error: String((e as Error).message) });
      }
      const stepMs =
        body.stepMs ??
        (url.searchParams.get('stepMs')
          ? Number(url.searchParams.get('stepMs'))
          : undefined);
      if (
        stepMs !== undefined &&
        !(typeof stepMs === 'number' && stepMs > 0 && stepMs <= 3_600_000)
      ) {
        return send(res, 400, {
          error: 'stepMs must be a number of milliseconds in (0, 3600000]',
        });
      }
      try {
        return send(res, 200, d.replayLive({ stepMs }));
      } catch (e) {
        return send(res, 409, { error: String((e as Error).message) });
      }
    }
    return send(res, 404, { error: `no admin route ${method} ${path}` });
  }
}
