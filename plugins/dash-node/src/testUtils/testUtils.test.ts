import {
  createTestCaller,
  createTestSourceContext,
  silentLogger,
  testComponent,
} from '.';

describe('createTestSourceContext', () => {
  it('records calls and rate-limit reports, and passes results through', async () => {
    const { upstream } = createTestSourceContext();
    await expect(upstream.call(async () => 42, { name: 'list' })).resolves.toBe(
      42,
    );
    await upstream.call(async () => 'x');
    upstream.observeRateLimit({ remaining: 1, limit: 10 });
    expect(upstream.calls).toEqual(['list', 'call']);
    expect(upstream.observed).toEqual([{ remaining: 1, limit: 10 }]);
  });

  it('fails a call that ignores its signal as timed-out, and aborts the signal', async () => {
    const { upstream } = createTestSourceContext({ timeoutMs: 20 });
    let signal: AbortSignal | undefined;
    await expect(
      upstream.call(s => {
        signal = s;
        return new Promise(() => {});
      }),
    ).rejects.toMatchObject({ name: 'UpstreamError', status: 'timed-out' });
    expect(signal?.aborted).toBe(true);
  });
});

describe('testComponent', () => {
  it('puts dependsOn in the spec and in the relations', () => {
    const e = testComponent('a', { 'github.com/project-slug': 'acme/a' }, [
      'component:default/b',
    ]);
    expect(e.spec?.dependsOn).toEqual(['component:default/b']);
    expect(e.relations).toEqual([
      { type: 'dependsOn', targetRef: 'component:default/b' },
    ]);
    expect(testComponent('c', {}).spec?.dependsOn).toBeUndefined();
  });
});

describe('createTestCaller', () => {
  it('hands out the parts of its context: calls, rate-limit reports and the logger', async () => {
    const logger = silentLogger();
    const caller = createTestCaller({ timeoutMs: 20, logger });
    await caller.upstream.call(async () => 1, { name: 'get' });
    caller.upstream.observeRateLimit({ remaining: 3 });
    expect(caller.names).toEqual(['get']);
    expect(caller.observed).toEqual([{ remaining: 3 }]);
    expect(caller.logger).toBe(logger);
    expect(caller.context.upstream).toBe(caller.upstream);
    await expect(
      caller.upstream.call(() => new Promise(() => {})),
    ).rejects.toMatchObject({ status: 'timed-out' });
  });
});
