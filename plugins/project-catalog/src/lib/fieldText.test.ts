import { fieldProblem, fieldText, parseFieldText } from './fieldText';

describe('fieldText', () => {
  it('shows values as input text', () => {
    expect(fieldText(undefined)).toBe('');
    expect(fieldText(['go', 'grpc'])).toBe('go, grpc');
    expect(fieldText([{ title: 'Runbook', url: 'https://r.example' }])).toBe(
      'Runbook <https://r.example>',
    );
    expect(fieldText('2')).toBe('2');
  });

  it('parses tags from commas or spaces', () => {
    expect(parseFieldText('tags', ' go,grpc  pci ,')).toEqual([
      'go',
      'grpc',
      'pci',
    ]);
    expect(parseFieldText('tier', ' 2 ')).toBe('2');
  });

  it("checks with the field's shared schema and names the bad tag", () => {
    expect(fieldProblem('tags', 'go, Bad_Tag')).toMatch(
      /^"Bad_Tag" must be lower-case letters/,
    );
    expect(fieldProblem('type', 'daemon')).toMatch(/must be one of service/);
    expect(fieldProblem('owner', 'team-payments')).toBeUndefined();
    expect(fieldProblem('owner', 'not a ref!')).toMatch(/entity reference/);
    expect(fieldProblem('tier', '')).toBeUndefined();
    expect(fieldProblem('unknown', 'x')).toBeUndefined();
  });
});
