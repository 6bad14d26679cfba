import { pagerDutySuggestion, suggestion } from '../../__testUtils__/discovery';
import {
  adoptEdits,
  adoptProblems,
  adoptValuesOf,
  chunksOf,
  mergeTargetProblem,
  missingForAdoption,
  reasonProblem,
} from './discoveryForms';

describe('discoveryForms', () => {
  it('starts the adopt form from what discovery inferred', () => {
    expect(adoptValuesOf(suggestion())).toEqual({
      name: 'returns-service',
      title: 'Returns service',
      type: 'service',
      owner: 'group:default/team-returns',
      system: '',
      lifecycle: 'experimental',
      tier: '',
      tags: '',
      description: 'Handles returns and refunds.',
    });
    expect(adoptProblems(adoptValuesOf(suggestion()))).toEqual({});
    expect(adoptProblems(adoptValuesOf(pagerDutySuggestion()))).toEqual({
      type: 'is required',
      owner: 'is required',
    });
  });

  it('sends every input with a value, tags as a list', () => {
    expect(
      adoptEdits({
        ...adoptValuesOf(suggestion()),
        title: ' ',
        tier: ' 2 ',
        tags: 'go, returns',
      }),
    ).toEqual({
      name: 'returns-service',
      type: 'service',
      owner: 'group:default/team-returns',
      lifecycle: 'experimental',
      tier: '2',
      tags: ['go', 'returns'],
      description: 'Handles returns and refunds.',
    });
    expect(
      adoptEdits({ ...adoptValuesOf(suggestion()), tags: ' , ' }),
    ).not.toHaveProperty('tags');
  });

  it('says what a suggestion lacks to be adopted as inferred', () => {
    expect(missingForAdoption(suggestion())).toBeUndefined();
    expect(missingForAdoption(pagerDutySuggestion())).toBe(
      'discovery could not infer its type or owner',
    );
    expect(missingForAdoption(suggestion({ owner: undefined }))).toBe(
      'discovery could not infer its owner',
    );
  });

  it('checks reasons and merge targets as the backend does', () => {
    expect(reasonProblem('  ')).toMatch(/^is required/);
    expect(reasonProblem('x'.repeat(500))).toBeUndefined();
    expect(reasonProblem('x'.repeat(501))).toBe(
      'must be at most 500 characters',
    );
    expect(mergeTargetProblem('component:default/legacy-billing')).toBe(
      undefined,
    );
    expect(mergeTargetProblem('component:legacy-billing')).toBeUndefined();
    expect(mergeTargetProblem('legacy-billing')).toMatch(/with its kind/);
    expect(mergeTargetProblem('component:default/Bad Name')).toMatch(
      /with its kind/,
    );
    expect(mergeTargetProblem('')).toBe('is required');
  });

  it('splits actions into requests the backend accepts', () => {
    const ids = Array.from({ length: 250 }, (_, i) => i);
    expect(chunksOf(ids).map(c => c.length)).toEqual([100, 100, 50]);
    expect(chunksOf([])).toEqual([]);
  });
});
