/*
 * A real backend process for the benchmarks: a JSON config file (SQLite or PostgreSQL, guest
 * auth, the bench catalog file, the DASH sources pointed at an upstream sandbox), the entry file
 * run through Backstage's node transform, and a guest token once the catalog holds the entity
 * the caller waits for.
 */
import { ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { sandboxConfig } from '../../src/__testUtils__/sandboxConfig';
import { freePort } from './net';

export const repoRoot = path.resolve(__dirname, '../../../..');

/**
 * How long a stopping backend may take before it is killed. In production mode a Backstage
 * backend lets the requests in flight finish when it stops (the events bus's long polls among
 * them): measured here, a bench backend had not exited 10 s after SIGTERM although its tasks had
 * stopped within 10 ms. What the benchmarks wrote is committed by then, and waiting cost 10 s a
 * backend.
 */
export const STOP_GRACE_MS = 2000;

export interface Backend {
  url: string;
  token: string;
  /** Process id of the backend (for its CPU time in /proc). */
  pid: number;
  stop(): Promise<void>;
}

export interface BackendOptions {
  /** URLs and tokens of the upstream sandbox. */
  sandbox: Parameters<typeof sandboxConfig>[0];
  /** `backend.database`. */
  database: object;
  /** The catalog file of bench entities (besides catalog-info/all.yaml). */
  entitiesFile: string;
  /** Where the config file goes. */
  dir: string;
  /**
   * Name of a Component of `entitiesFile`: the backend is ready once the catalog serves it.
   * Without one (a backend with no catalog or auth plugin), once its readiness route answers;
   * the token is then empty.
   */
  readyEntity?: string;
  /** Entry file, relative to packages/backend; default src/index.ts (the demo backend). */
  entry?: string;
  /** Added to `dash` (after the refresh settings). */
  dash?: object;
  /** Added at the top level of the config (e.g. `proxy`). */
  extra?: object;
}

export async function startBackend(options: BackendOptions): Promise<Backend> {
  const { sandbox, database, entitiesFile, dir } = options;
  const port = await freePort();
  const url = `http://localhost:${port}`;
  const sources = sandboxConfig(sandbox);
  const config = {
    app: { baseUrl: url },
    backend: {
      baseUrl: url,
      listen: { port, host: '127.0.0.1' },
      database,
      cors: { origin: url },
    },
    auth: {
      providers: {
        guest: {
          userEntityRef: 'user:default/guest',
          dangerouslyAllowOutsideDevelopment: true,
        },
      },
    },
    permission: { enabled: true, suite: { writers: ['*'] } },
    catalog: {
      rules: [
        {
          allow: [
            'Component',
            'System',
            'API',
            'Resource',
            'Location',
            'Domain',
            'Group',
            'User',
          ],
        },
      ],
      locations: [
        { type: 'file', target: path.join(repoRoot, 'catalog-info/all.yaml') },
        { type: 'file', target: entitiesFile },
      ],
    },
    ...sources,
    dash: {
      ...sources.dash,
      refresh: {
        maxWaitMs: 30000,
        freshnessSeconds: 3600,
        prewarm: { enabled: false },
      },
      ...options.dash,
    },
    ...options.extra,
  };
  const configFile = path.join(dir, `app-config.${port}.yaml`);
  fs.writeFileSync(configFile, JSON.stringify(config, null, 2));
  const output: string[] = [];
  const child: ChildProcess = spawn(
    process.execPath,
    [
      '--require',
      require.resolve('@backstage/cli/config/nodeTransform.cjs'),
      options.entry ?? 'src/index.ts',
      '--config',
      configFile,
    ],
    {
      cwd: path.join(repoRoot, 'packages/backend'),
      env: { ...process.env, NODE_ENV: 'production', LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const keep = (d: unknown) => {
    output.push(String(d));
    if (output.length > 200) output.splice(0, output.length - 200);
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  let exited = false;
  child.on('exit', () => {
    exited = true;
  });
  const stop = async () => {
    if (exited) return;
    child.kill('SIGTERM');
    for (let i = 0; i < STOP_GRACE_MS / 100 && !exited; i++)
      await new Promise(r => setTimeout(r, 100));
    if (!exited) child.kill('SIGKILL');
  };
  const deadline = Date.now() + 180_000;
  while (Date.now() < deadline) {
    if (exited)
      throw new Error(`The backend exited:\n${output.join('').slice(-3000)}`);
    try {
      if (!options.readyEntity) {
        const ready = await fetch(`${url}/.backstage/health/v1/readiness`);
        if (ready.ok) return { url, token: '', pid: child.pid!, stop };
        throw new Error('not ready yet');
      }
      const res = await fetch(`${url}/api/auth/guest/refresh`);
      if (res.ok) {
        const token: string = (await res.json()).backstageIdentity.token;
        const entity = await fetch(
          `${url}/api/catalog/entities/by-name/component/default/${options.readyEntity}`,
          { headers: { authorization: `Bearer ${token}` } },
        );
        if (entity.ok) return { url, token, pid: child.pid!, stop };
      }
    } catch {
      // not up yet
    }
    await new Promise(r => setTimeout(r, 500));
  }
  await stop();
  throw new Error(
    `The backend did not get ready:\n${output.join('').slice(-3000)}`,
  );
}
