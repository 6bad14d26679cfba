import { rateLimitWaitMs } from './errors';
import { deploymentEvent, deploymentState, rollbackReason } from './normalize';
import { GithubDeployment } from './schemas';

const base: GithubDeployment = {
  id: 7,
  sha: 'a'.repeat(40),
  ref: 'v1.2.3',
  task: 'deploy',
  payload: {},
  environment: 'production',
  description: 'Deploy v1.2.3',
  creator: { login: 'octo', html_url: 'https://github.com/octo' },
  created_at: '2025-03-12T10:00:00Z',
  updated_at: '2025-03-12T10:03:00Z',
};
const repo = {
  entityRef: 'component:default/a',
  slug: 'acme/a',
  uiBaseUrl: 'https://github.com',
};

describe('rollbackReason', () => {
  it.each([
    [{ task: 'rollback' }, "task 'rollback'"],
    [{ task: 'deploy:rollback' }, "task 'deploy:rollback'"],
    [{ payload: { rollback: true } }, 'payload.rollback'],
    [{ payload: { rollback: 'true' } }, 'payload.rollback'],
    [{ payload: { type: 'rollback' } }, "payload.type 'rollback'"],
    [{ payload: '{"action":"rollback"}' }, 'payload'],
    [{ description: 'Roll back to v1.2.2' }, 'description'],
    [{ description: 'Rolled back payments-api' }, 'description'],
    [{ description: 'rollback: v1.2.2' }, 'description'],
    [{ description: 'Revert "add vault v2"' }, 'description'],
  ])('finds %p', (patch, reason) => {
    expect(rollbackReason({ ...base, ...patch })).toBe(reason);
  });

  it.each([
    [{}],
    [{ description: 'Deploy the rollbar integration' }],
    [{ task: 'deploy:migrations' }],
    [{ payload: { rollback: false } }],
  ])('does not call %p a rollback', patch => {
    expect(rollbackReason({ ...base, ...patch })).toBeUndefined();
  });

  it('calls a redeploy of an older sha a rollback, but not a retry of the same sha', () => {
    const older = 'b'.repeat(40);
    const newer = 'c'.repeat(40);
    expect(rollbackReason({ ...base, sha: older }, [newer, older])).toMatch(
      /redeploys bbbbbbb/,
    );
    expect(
      rollbackReason({ ...base, sha: newer }, [newer, older]),
    ).toBeUndefined();
    expect(
      rollbackReason({ ...base, sha: 'd'.repeat(40) }, [newer, older]),
    ).toBeUndefined();
  });
});

describe('deployment states', () => {
  const status = (id: number, state: string, at: string, extra = {}) => ({
    id,
    state,
    created_at: at,
    ...extra,
  });

  it('takes the latest status, whatever the order', () => {
    const state = deploymentState([
      status(1, 'queued', '2025-03-12T10:00:00Z'),
      status(3, 'failure', '2025-03-12T10:03:00Z', {
        log_url: 'https://ci.example/3',
      }),
      status(2, 'in_progress', '2025-03-12T10:00:20Z'),
    ]);
    expect(state).toMatchObject({
      state: 'failure',
      at: '2025-03-12T10:03:00.000Z',
      logUrl: 'https://ci.example/3',
    });
    expect(deploymentEvent(repo, base, state, undefined)).toMatchObject({
      status: 'failure',
      severity: 'error',
      endTime: '2025-03-12T10:03:00.000Z',
    });
  });

  it('shows a superseded deployment (success, then inactive) as a success', () => {
    const state = deploymentState([
      status(1, 'success', '2025-03-12T10:03:00Z'),
      status(2, 'inactive', '2025-03-13T09:00:00Z'),
    ]);
    const event = deploymentEvent(repo, base, state, undefined)!;
    expect(event.status).toBe('success');
    expect(event.attributes.superseded).toBe(true);
    const never = deploymentState([
      status(1, 'inactive', '2025-03-12T10:03:00Z'),
    ]);
    expect(deploymentEvent(repo, base, never, undefined)!.status).toBe(
      'inactive',
    );
  });

  it('leaves an unfinished deployment open and never links to a script URL', () => {
    const state = deploymentState([
      status(1, 'in_progress', '2025-03-12T10:00:20Z', {
        log_url: ['javascript', 'alert(1)'].join(':'),
      }),
    ]);
    const event = deploymentEvent(repo, base, state, undefined)!;
    expect(event.status).toBe('in_progress');
    expect(event.endTime).toBeUndefined();
    expect(event.attributes.logUrl).toBeUndefined();
    expect(event.url).toBe('https://github.com/acme/a/deployments/production');
  });
});

describe('rateLimitWaitMs', () => {
  const now = Date.UTC(2025, 2, 12, 12);
  const err = (
    status: number,
    headers: Record<string, string>,
    message = 'x',
  ) => ({
    status,
    message,
    response: { headers },
  });

  it('waits until the primary limit resets, one second past', () => {
    const reset = String(now / 1000 + 120);
    expect(
      rateLimitWaitMs(
        err(403, { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': reset }),
        now,
      ),
    ).toBe(121_000);
    expect(
      rateLimitWaitMs(
        err(429, { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': reset }),
        now,
      ),
    ).toBe(121_000);
  });

  it('obeys Retry-After, and defaults a secondary limit without one to 60 s', () => {
    expect(rateLimitWaitMs(err(403, { 'retry-after': '30' }), now)).toBe(
      30_000,
    );
    expect(
      rateLimitWaitMs(
        err(403, {}, 'You have exceeded a secondary rate limit'),
        now,
      ),
    ).toBe(60_000);
    expect(rateLimitWaitMs(err(429, {}), now)).toBe(60_000);
  });

  it('does not call other errors rate limits', () => {
    expect(
      rateLimitWaitMs(
        err(
          403,
          { 'x-ratelimit-remaining': '12' },
          'Resource not accessible by integration',
        ),
        now,
      ),
    ).toBeUndefined();
    expect(
      rateLimitWaitMs(err(500, { 'retry-after': '3' }), now),
    ).toBeUndefined();
  });
});
