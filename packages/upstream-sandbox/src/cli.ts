/*
 * The command line: `upstream-sandbox --scenario demo --port 7100 [--fault github=latency:300]
 * [--live]`. Admin on --port, pagerduty on port+1, github +2, grafana +3, kibana +4,
 * elasticsearch +5, slack +6, kubernetes +7. Prints one line per URL and token, then "sandbox ready".
 */
import {
  FaultSpec,
  SandboxOptions,
  UPSTREAM_NAMES,
  UpstreamName,
} from './types';
import { startSandbox, DEFAULT_STEP_MS } from './sandbox';
import { parseFaultFlag } from './faults';

/** Upstreams whose port offset does not follow their place in UPSTREAM_NAMES (slack is +6). */
const FIXED_PORT_OFFSETS: Partial<Record<UpstreamName, number>> = {
  slack: 6,
  kubernetes: 7,
};

const HELP = `Usage: upstream-sandbox [options]

  --scenario demo|scale|empty   data set (default demo)
  --seed <n>                    random seed (default 42)
  --now <iso|epoch ms>          anchor of the story times (default: now)
  --days <n>                    history length in days (default 14)
  --port <n>                    admin port; upstreams on port+1..port+7 (default: random ports)
  --services <n>                scale: number of services (default 100, max 10000)
  --events-per-day <n>          scale: events per service per day per upstream (default 20)
  --catalog-dir <dir>           demo/empty: folder with components.yaml (default <repo>/catalog-info)
  --fault <upstream>=<spec>     e.g. github=latency:300,error:0.1 (repeatable); faults:
                                latency:<ms>|<min>-<max> error:<rate> ratelimit:<rate>[:<retryAfterSec>[:<status>]]
                                hang:<rate> malformed:<rate> drip:<ms> unauthorized prefix:<path>
  --live                        start the live story (checkout-api) now, and again every --live-every minutes
  --live-every <minutes>        default 10
  --step-ms <ms>                live story step (default ${DEFAULT_STEP_MS})
  --help
`;

export interface CliArgs {
  options: SandboxOptions;
  live: boolean;
  liveEveryMin: number;
  stepMs: number;
}

export function parseArgs(argv: string[]): CliArgs {
  const options: SandboxOptions = {};
  const faults: Partial<Record<UpstreamName, FaultSpec>> = {};
  let live = false;
  let liveEveryMin = 10;
  let stepMs = DEFAULT_STEP_MS;
  const number = (flag: string, v: string | undefined): number => {
    const n = Number(v);
    if (v === undefined || v === '' || !Number.isFinite(n))
      throw new Error(`${flag} needs a number`);
    return n;
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const [flag, inline] =
      arg.startsWith('--') && arg.includes('=') && !arg.startsWith('--fault=')
        ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)]
        : [arg, undefined];
    const value = () => {
      if (inline !== undefined) return inline;
      i++;
      if (i >= argv.length) throw new Error(`${flag} needs a value`);
      return argv[i];
    };
    switch (flag) {
      case '--scenario': {
        const v = value();
        if (v !== 'demo' && v !== 'scale' && v !== 'empty')
          throw new Error('--scenario must be demo, scale or empty');
        options.scenario = v;
        break;
      }
      case '--seed':
        options.seed = number(flag, value());
        break;
      case '--now': {
        const v = value();
        const t = /^\d+$/.test(v) ? Number(v) : Date.parse(v);
        if (Number.isNaN(t))
          throw new Error('--now must be an ISO date or epoch milliseconds');
        options.now = t;
        break;
      }
      case '--days':
        options.days = number(flag, value());
        break;
      case '--port': {
        const port = number(flag, value());
        if (!Number.isInteger(port) || port < 1 || port > 65530)
          throw new Error('--port must be in 1..65530');
        options.ports = { admin: port };
        UPSTREAM_NAMES.forEach((n, k) => {
          options.ports![n] = port + (FIXED_PORT_OFFSETS[n] ?? k + 1);
        });
        break;
      }
      case '--services':
        options.services = number(flag, value());
        break;
      case '--events-per-day':
        options.eventsPerDay = number(flag, value());
        break;
      case '--catalog-dir':
        options.catalogDir = value();
        break;
      case '--fault':
      case '--fault=': {
        const v = arg.startsWith('--fault=')
          ? arg.slice('--fault='.length)
          : value();
        const { upstream, spec } = parseFaultFlag(v);
        faults[upstream] = { ...faults[upstream], ...spec };
        break;
      }
      case '--live':
        live = true;
        break;
      case '--live-every':
        liveEveryMin = number(flag, value());
        break;
      case '--step-ms':
        stepMs = number(flag, value());
        break;
      default:
        if (arg.startsWith('--fault=')) {
          const { upstream, spec } = parseFaultFlag(
            arg.slice('--fault='.length),
          );
          faults[upstream] = { ...faults[upstream], ...spec };
          break;
        }
        throw new Error(`unknown option ${arg}\n\n${HELP}`);
    }
  }
  if (Object.keys(faults).length) options.faults = faults;
  return { options, live, liveEveryMin, stepMs };
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(HELP);
    return;
  }
  let args: CliArgs;
  try {
    args = parseArgs(argv);
  } catch (e) {
    process.stderr.write(`upstream-sandbox: ${(e as Error).message}\n`);
    process.exit(2);
  }
  const started = Date.now();
  const sandbox = await startSandbox(args.options);
  const s = sandbox.scenario;
  const out = (line: string) => process.stdout.write(`${line}\n`);
  out(
    `upstream-sandbox: scenario ${s.kind}, seed ${s.seed}, ${
      s.services.length
    } services, now ${new Date(s.now).toISOString()} (started in ${
      Date.now() - started
    } ms)`,
  );
  out(`admin ${sandbox.urls.admin}`);
  for (const name of UPSTREAM_NAMES) {
    out(`${name} ${sandbox.urls[name]} token ${sandbox.tokens[name]}`);
  }
  let timer: NodeJS.Timeout | undefined;
  if (args.live) {
    const replay = () => {
      const r = sandbox.replayLive({ stepMs: args.stepMs });
      out(
        `live story ${r.story.id} started: incident ${
          r.story.incident?.pagerdutyId
        } at ${new Date(
          r.story.incident?.triggeredAt ?? r.startedAt,
        ).toISOString()}`,
      );
    };
    replay();
    timer = setInterval(replay, Math.max(1, args.liveEveryMin) * 60_000);
  }
  out('sandbox ready');
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    if (timer) clearInterval(timer);
    await sandbox.stop();
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

if (require.main === module || process.argv[1]?.endsWith('upstream-sandbox')) {
  main().catch(e => {
    process.stderr.write(`upstream-sandbox: ${(e as Error).stack ?? e}\n`);
    process.exit(1);
  });
}
