import { startSandbox } from './sandbox';
import { Sandbox, SandboxOptions, UpstreamName } from './types';

/**
 * Starts the upstream sandbox before the tests of the calling `describe` block, clears the
 * faults of `resetFaults` after each test, and stops the sandbox after the block. Answers the
 * sandbox: an object that forwards to the started one (so it is used inside tests and hooks,
 * not while the block is being declared).
 *
 */
export function useTestSandbox(
  options: SandboxOptions & { resetFaults: UpstreamName[] },
): Sandbox {
  const { resetFaults, ...sandboxOptions } = options;
  let started: Sandbox | undefined;
  beforeAll(async () => {
    started = await startSandbox(sandboxOptions);
  });
  afterAll(async () => {
    await started?.stop();
    started = undefined;
  });
  afterEach(() => {
    for (const upstream of resetFaults) started?.setFaults(upstream, undefined);
  });
  return new Proxy({} as Sandbox, {
    get(_, key) {
      if (!started) throw new Error('The test sandbox is not running');
      const value = Reflect.get(started, key);
      return typeof value === 'function' ? value.bind(started) : value;
    },
  });
}
