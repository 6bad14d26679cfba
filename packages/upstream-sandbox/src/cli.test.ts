/*
 * The command line: argument parsing, and the bin started for real (no build step).
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { parseArgs } from './cli';

jest.setTimeout(60_000);

describe('upstream-sandbox CLI', () => {
  it('parses flags into options, with ports port+0..port+5', () => {
    const args = parseArgs([
      '--scenario',
      'scale',
      '--seed',
      '7',
      '--port',
      '7300',
      '--services',
      '500',
      '--fault',
      'github=latency:300,error:0.1',
      '--fault=kibana=unauthorized',
      '--live',
      '--step-ms',
      '1000',
    ]);
    expect(args.options).toEqual({
      scenario: 'scale',
      seed: 7,
      services: 500,
      ports: {
        admin: 7300,
        pagerduty: 7301,
        github: 7302,
        grafana: 7303,
        kibana: 7304,
        elasticsearch: 7305,
        slack: 7306,
        kubernetes: 7307,
      },
      faults: {
        github: { latencyMs: 300, errorRate: 0.1 },
        kibana: { unauthorized: true },
      },
    });
    expect(args.live).toBe(true);
    expect(args.stepMs).toBe(1000);
    expect(() => parseArgs(['--scenario', 'huge'])).toThrow(
      /demo, scale or empty/,
    );
    expect(() => parseArgs(['--port', 'x'])).toThrow(/needs a number/);
    expect(() => parseArgs(['--what'])).toThrow(/unknown option --what/);
  });

  it('starts from bin/upstream-sandbox, prints URLs and tokens, answers, and stops on SIGTERM', async () => {
    const bin = path.join(
      path.dirname(
        require.resolve('@dash-suite/upstream-sandbox/package.json'),
      ),
      'bin',
      'upstream-sandbox',
    );
    const child = spawn(
      process.execPath,
      [bin, '--scenario', 'empty', '--seed', '3'],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let out = '';
    child.stdout.on('data', d => {
      out += d;
    });
    child.stderr.on('data', d => {
      out += d;
    });
    const exited = new Promise<number | null>(resolve =>
      child.on('exit', code => resolve(code)),
    );
    try {
      const deadline = Date.now() + 45_000;
      while (!out.includes('sandbox ready') && Date.now() < deadline) {
        await new Promise(r => setTimeout(r, 100));
      }
      expect(out).toContain('sandbox ready');
      const admin = /^admin (http:\/\/127\.0\.0\.1:\d+)$/m.exec(out)![1];
      expect(out).toMatch(
        /^github http:\/\/127\.0\.0\.1:\d+ token sandbox-github-token$/m,
      );
      const scenario = await (await fetch(`${admin}/scenario`)).json();
      expect(scenario).toMatchObject({ kind: 'empty', seed: 3 });
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
  });
});
