/*
 * The upstream sandbox in a process of its own, for the crowd benchmark (bench/crowd.ts): the
 * sandbox then does not share an event loop with the load generator. Demo scenario, seed 42,
 * and rate budgets far above what the crowd sends (real PagerDuty allows 960 calls a minute per
 * token; the crowd's proxy rows send more, and measure latency, not 429s). Prints one JSON line
 * (URLs, tokens, services with their annotations); stops when its stdin closes or on SIGTERM.
 * Run with `node --require @backstage/cli/config/nodeTransform.cjs`.
 */
import { startSandbox } from '@dash-suite/upstream-sandbox';

async function main() {
  const sandbox = await startSandbox({
    scenario: 'demo',
    seed: 42,
    rateLimits: { pagerdutyPerMinute: 10_000_000, githubPerHour: 10_000_000 },
  });
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    sandbox.stop().finally(() => process.exit(0));
  };
  process.on('SIGTERM', stop);
  process.stdin.on('end', stop);
  process.stdin.resume();
  process.stdout.write(
    `${JSON.stringify({
      urls: sandbox.urls,
      tokens: sandbox.tokens,
      services: sandbox.scenario.services.map(s => ({
        name: s.name,
        annotations: s.annotations,
      })),
    })}\n`,
  );
}

main().catch(e => {
  process.stderr.write(`${e?.stack ?? e}\n`);
  process.exit(1);
});
