// npm run audit:federation reads the audit CLI's results file (suite id, then one mark per test).
import { parseResults } from '../audit/run';

describe("the audit CLI's results file", () => {
  it('gives passed/total per suite, the summary after --- left out', () => {
    const text = [
      'abstract-types',
      '.....',
      'keys-mashup',
      'X',
      'requires-with-argument',
      '..XX.',
      '',
      '---',
      'Total: 11',
    ].join('\n');
    expect(parseResults(text)).toEqual([
      { suite: 'abstract-types', passed: 5, total: 5 },
      { suite: 'keys-mashup', passed: 0, total: 1 },
      { suite: 'requires-with-argument', passed: 3, total: 5 },
    ]);
  });
});
