import { event } from '../cardStates/__testUtils__/dashCards';
import { compareRef, githubCompareUrl, parseProjectSlug } from './deploys';

describe('parseProjectSlug', () => {
  it.each([
    ['acme/payments-api', 'acme/payments-api'],
    [' acme/payments.api_2 ', 'acme/payments.api_2'],
    ['acme', undefined],
    ['acme/x/y', undefined],
    ['-acme/x', undefined],
    ['acme/..', undefined],
    ['acme/.', undefined],
    ['acme/x#y', undefined],
    ['acme/x?y', undefined],
    ['ac me/x', undefined],
    [undefined, undefined],
  ])('%s -> %s', (value, expected) => {
    expect(parseProjectSlug(value)).toBe(expected);
  });
});

describe('githubCompareUrl', () => {
  const d = (attributes: Record<string, string>) =>
    event({ id: JSON.stringify(attributes), attributes });

  it('compares commits, else versions, and encodes nothing unsafe', () => {
    expect(compareRef(d({ sha: 'abc1234', version: 'v1' }))).toBe('abc1234');
    expect(compareRef(d({ version: 'release/1.2' }))).toBe('release/1.2');
    expect(compareRef(d({ version: 'v1..v2' }))).toBeUndefined();
    expect(compareRef(d({ version: '-rf' }))).toBeUndefined();
    expect(compareRef(d({ version: 'v1 2' }))).toBeUndefined();
    expect(compareRef(d({ sha: 'not-a-sha' }))).toBeUndefined();
    expect(
      githubCompareUrl(
        'acme/api',
        d({ version: 'v1.0' }),
        d({ version: 'release/1.1' }),
      ),
    ).toBe('https://github.com/acme/api/compare/v1.0...release/1.1');
  });

  it('gives no link when a side has nothing to compare or both are the same', () => {
    expect(
      githubCompareUrl('acme/api', d({}), d({ version: 'v2' })),
    ).toBeUndefined();
    expect(
      githubCompareUrl('acme/api', d({ version: 'v2' }), d({ version: 'v2' })),
    ).toBeUndefined();
    expect(
      githubCompareUrl(
        'evil.com/acme/api',
        d({ version: 'v1' }),
        d({ version: 'v2' }),
      ),
    ).toBeUndefined();
  });
});
