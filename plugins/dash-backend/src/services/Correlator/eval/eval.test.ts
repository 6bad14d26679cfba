import { TestDatabases } from '@backstage/backend-test-utils';
import { evaluate } from './evaluate';
import {
  EvalReport,
  Rate,
  ScenarioResult,
  formatReport,
  share,
} from './report';

/** Share of the scenarios with a cause whose cause must rank first. */
const MIN_RANK1 = 0.85;
/** Share of the scenarios with a cause whose cause must be in the first three (all of them). */
const MIN_TOP3 = 1;
/** Share of the scenarios without a cause that must be answered "nothing plausible". */
const MIN_NOTHING = 0.8;

jest.setTimeout(60_000);

const databases = TestDatabases.create({ ids: ['SQLITE_3'] });

/**
 * `ok` when `rate` reaches `min`; else what fell short, with the scenarios that missed, so that
 * the failure message names them.
 */
function verdict(
  what: string,
  rate: Rate,
  min: number,
  missed: ScenarioResult[],
): string {
  if (share(rate) >= min) return 'ok';
  const lines = missed.map(
    r =>
      `  ${r.id}: rank ${r.rank ?? '–'}, top: ${
        r.topTitle ?? '(nothing plausible)'
      }`,
  );
  return `${what}: ${rate.hits}/${rate.total}, below ${Math.round(
    min * 100,
  )} %. Missed:\n${lines.join('\n')}`;
}

describe('likely-cause evaluation set', () => {
  let report: EvalReport;

  beforeAll(async () => {
    report = await evaluate({ databases });
    // Straight to stdout: Jest's console.log would add a stack line under the table.
    process.stdout.write(`${formatReport(report)}\n`);
  });

  it(`ranks the true cause first for at least ${
    MIN_RANK1 * 100
  } % of the scenarios with a cause`, () => {
    const answer = verdict(
      'Rank 1',
      report.rank1,
      MIN_RANK1,
      report.results.filter(r => r.hasCause && r.rank !== 1),
    );
    expect(answer).toBe('ok');
  });

  it(`puts the true cause in the first three for ${
    MIN_TOP3 * 100
  } % of the scenarios with a cause`, () => {
    const answer = verdict(
      'Top 3',
      report.top3,
      MIN_TOP3,
      report.results.filter(r => r.hasCause && !(r.rank && r.rank <= 3)),
    );
    expect(answer).toBe('ok');
  });

  it(`says "nothing plausible" for at least ${
    MIN_NOTHING * 100
  } % of the scenarios without a cause`, () => {
    const answer = verdict(
      'Nothing plausible',
      report.nothing,
      MIN_NOTHING,
      report.results.filter(
        r => !r.hasCause && r.verdict !== 'nothing-plausible',
      ),
    );
    expect(answer).toBe('ok');
  });
});
