import { indexPatternProblem, readTarget } from './annotations';
import { component } from './__testUtils__/context';

describe('kibana annotations', () => {
  it.each([
    'logs-payments-*',
    'logs-payments-2025.03.*',
    'remote:logs-payments-*',
    'filebeat-*',
  ])('accepts the index pattern %p', pattern => {
    expect(indexPatternProblem(pattern)).toBeUndefined();
  });

  it.each([
    ['logs-*,secrets', /comma-separated/],
    ['logs-* ', /spaces/],
    ['-logs-*', /must not start with/],
    ['_all', /must not start with/],
    ['_security', /must not start with/],
    ['.kibana*', /hidden or system indices/],
    ['remote:.security-7', /hidden or system indices/],
    ['logs-..-x', /'\.\.'/],
    ['../_cat/indices', /must not contain/],
    ['logs-payments-*/_doc', /must not contain/],
    ['logs?pretty', /must not contain/],
    ['*', /at least 3 letters/],
    ['*-*', /at least 3 letters/],
    ['a*b', /at least 3 letters/],
    ['Logs-*', /lower case/],
    ['a:b:c-*', /one 'cluster:' prefix/],
    ['x'.repeat(256), /longer than 255/],
  ])('refuses the index pattern %p', (pattern, problem) => {
    expect(indexPatternProblem(pattern)).toMatch(problem);
  });

  it('reads the target with the default query when the entity names none', () => {
    expect(
      readTarget(
        component('a', { 'kibana/index-pattern': 'logs-a-*' }),
        'log.level:error',
      ),
    ).toEqual({
      target: {
        indexPattern: 'logs-a-*',
        logQuery: 'log.level:error',
        dataViewId: undefined,
      },
    });
    expect(
      readTarget(
        component('a', {
          'kibana/index-pattern': 'logs-a-*',
          'kibana/log-query': 'service.name:"a" AND log.level:error',
          'kibana/data-view-id': 'logs-a',
        }),
        'log.level:error',
      ).target,
    ).toEqual({
      indexPattern: 'logs-a-*',
      logQuery: 'service.name:"a" AND log.level:error',
      dataViewId: 'logs-a',
    });
  });

  it('explains bad annotations', () => {
    expect(
      readTarget(component('a', { 'kibana/index-pattern': '.security' }), 'x')
        .problem,
    ).toBe(
      "Annotation kibana/index-pattern '.security' must not target hidden or system indices (leading .)",
    );
    expect(
      readTarget(
        component('a', {
          'kibana/index-pattern': 'logs-a-*',
          'kibana/log-query': 'a\u0000b',
        }),
        'x',
      ).problem,
    ).toMatch(/kibana\/log-query contains control characters/);
    expect(
      readTarget(
        component('a', {
          'kibana/index-pattern': 'logs-a-*',
          'kibana/log-query': 'x'.repeat(5000),
        }),
        'x',
      ).problem,
    ).toMatch(/longer than 4096/);
  });
});
