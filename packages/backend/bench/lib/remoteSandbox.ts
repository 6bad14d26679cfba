/*
 * Starts lib/sandboxProcess.ts and drives it through the sandbox's admin endpoints: faults,
 * request counters.
 */
import type { FaultSpec, UpstreamName } from '@dash-suite/upstream-sandbox';
import { spawn } from 'node:child_process';
import path from 'node:path';
import readline from 'node:readline';

export interface RemoteSandbox {
  urls: Record<UpstreamName | 'admin', string>;
  tokens: Record<UpstreamName, string>;
  services: Array<{ name: string; annotations: Record<string, string> }>;
  setFaults(
    upstream: UpstreamName,
    faults: FaultSpec | undefined,
  ): Promise<void>;
  /** Calls answered by every upstream since the last reset. */
  upstreamCalls(): Promise<number>;
  /** The same, per upstream and route (`pagerduty GET /incidents`), the busiest first. */
  callsPerRoute(): Promise<Array<[string, number]>>;
  resetCounters(): Promise<void>;
  stop(): Promise<void>;
}

export async function startRemoteSandbox(): Promise<RemoteSandbox> {
  const child = spawn(
    process.execPath,
    [
      '--require',
      require.resolve('@backstage/cli/config/nodeTransform.cjs'),
      path.join(__dirname, 'sandboxProcess.ts'),
    ],
    { stdio: ['pipe', 'pipe', 'inherit'] },
  );
  let exited = false;
  child.on('exit', () => {
    exited = true;
  });
  const lines = readline.createInterface({ input: child.stdout! });
  const first = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error('sandbox: no answer in 60 s')),
      60_000,
    );
    lines.once('line', line => {
      clearTimeout(timer);
      resolve(line);
    });
    child.once('exit', code => {
      clearTimeout(timer);
      reject(new Error(`sandbox process exited with ${code}`));
    });
  });
  const info = JSON.parse(first);
  const admin = async (method: string, route: string, body?: unknown) => {
    const res = await fetch(`${info.urls.admin}${route}`, {
      method,
      headers: body ? { 'content-type': 'application/json' } : undefined,
      body: body ? JSON.stringify(body) : undefined,
    });
    if (!res.ok) throw new Error(`sandbox ${method} ${route}: ${res.status}`);
    return res.json();
  };
  const callsPerRoute = async (): Promise<Array<[string, number]>> => {
    const counters: Record<string, Record<string, number>> = await admin(
      'GET',
      '/counters',
    );
    return Object.entries(counters)
      .flatMap(([upstream, routes]) =>
        Object.entries(routes).map(([route, n]): [string, number] => [
          `${upstream} ${route}`,
          n,
        ]),
      )
      .sort((x, y) => y[1] - x[1]);
  };
  return {
    ...info,
    async setFaults(upstream, faults) {
      if (faults) await admin('PUT', `/faults/${upstream}`, faults);
      else await admin('DELETE', `/faults/${upstream}`);
    },
    callsPerRoute,
    async upstreamCalls() {
      const perRoute = await callsPerRoute();
      return perRoute.reduce((a, [, n]) => a + n, 0);
    },
    async resetCounters() {
      await admin('DELETE', '/requests');
    },
    async stop() {
      if (exited) return;
      child.stdin!.end();
      for (let i = 0; i < 50 && !exited; i++)
        await new Promise(r => setTimeout(r, 100));
      if (!exited) child.kill('SIGKILL');
    },
  };
}
