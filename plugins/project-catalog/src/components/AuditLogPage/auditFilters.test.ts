import {
  NO_FILTERS,
  auditQueryOf,
  draftOfFilters,
  filterProblems,
  filtersFromParams,
  filtersOfDraft,
  paramsOfFilters,
  parseRefInput,
} from './auditFilters';

// Local time in the tests is Berlin's (setupTests): UTC+1 in March.

describe('auditFilters', () => {
  it('reads the filters of a query string and writes back only those set', () => {
    const filters = filtersFromParams(
      new URLSearchParams('entity=component:default/a&x=1&from='),
    );
    expect(filters).toEqual({
      ...NO_FILTERS,
      entity: 'component:default/a',
    });
    expect(paramsOfFilters(filters).toString()).toBe(
      'entity=component%3Adefault%2Fa',
    );
  });

  it('completes refs with the default kind and namespace, and refuses what is no ref', () => {
    expect(parseRefInput('ada', 'user')).toBe('user:default/ada');
    expect(parseRefInput(' group:ops/sre ', 'user')).toBe('group:ops/sre');
    expect(parseRefInput('not a ref!', 'user')).toBeUndefined();
    expect(parseRefInput('a:b:c', 'component')).toBeUndefined();
    expect(parseRefInput('', 'component')).toBeUndefined();
  });

  it('turns a draft in local time into UTC filters for the URL', () => {
    expect(
      filtersOfDraft({
        actor: 'ada',
        entity: 'payments-api',
        field: ' tier ',
        action: 'project.update',
        from: '2026-03-01T10:00',
        to: '2026-03-02T10:00',
      }),
    ).toEqual({
      filters: {
        actor: 'user:default/ada',
        entity: 'component:default/payments-api',
        field: 'tier',
        action: 'project.update',
        from: '2026-03-01T09:00:00Z',
        to: '2026-03-02T09:00:00Z',
      },
      problems: {},
    });
    expect(
      draftOfFilters({ ...NO_FILTERS, from: '2026-03-01T09:00:00Z' }).from,
    ).toBe('2026-03-01T10:00');
  });

  it('asks the backend in UTC with the page size', () => {
    expect(
      auditQueryOf({
        ...NO_FILTERS,
        entity: 'component:default/payments-api',
        from: '2026-03-01T10:00:00+01:00',
      }),
    ).toEqual({
      entityRef: 'component:default/payments-api',
      from: '2026-03-01T09:00:00Z',
      limit: 50,
    });
  });

  it('names each bad filter', () => {
    expect(
      filterProblems({
        actor: 'Ada Lovelace',
        entity: 'component:',
        field: 'x'.repeat(129),
        action: 'y'.repeat(65),
        from: 'yesterday',
        to: '2026-03-01T09:00:00Z',
      }),
    ).toEqual({
      actor:
        '"Ada Lovelace" is not an entity reference such as user:default/ada',
      entity:
        '"component:" is not an entity reference such as component:default/payments-api',
      field: 'must be at most 128 characters',
      action: 'must be at most 64 characters',
      from: '"yesterday" is not a date and time',
    });
    expect(
      filterProblems({
        ...NO_FILTERS,
        from: '2026-03-02T09:00:00Z',
        to: '2026-03-02T09:00:00Z',
      }),
    ).toEqual({ to: 'must be after From' });
  });
});
