import { UpstreamError } from '@dash-suite/plugin-dash-node';
import { isDatabaseUnavailableError } from './databaseErrors';

const withCode = (code: string, message = 'x') =>
  Object.assign(new Error(message), { code });

describe('isDatabaseUnavailableError', () => {
  it.each([
    ['a refused connection', withCode('ECONNREFUSED', 'connect 10.1.2.3:5432')],
    ['a reset connection', withCode('ECONNRESET')],
    ['an administrator shutdown (57P01)', withCode('57P01')],
    ['a server starting up (57P03)', withCode('57P03')],
    ['a connection exception (08006)', withCode('08006')],
    ['SQLite busy', withCode('SQLITE_BUSY')],
    ['SQLite locked', withCode('SQLITE_LOCKED')],
    [
      "knex's pool timeout",
      Object.assign(new Error('Knex: Timeout acquiring a connection'), {
        name: 'KnexTimeoutError',
      }),
    ],
    [
      "pg's dropped connection",
      new Error('Connection terminated unexpectedly'),
    ],
    [
      'a wrapped cause',
      new Error('query failed', { cause: withCode('ECONNREFUSED') }),
    ],
    ['one of several errors', new AggregateError([withCode('ECONNREFUSED')])],
  ])('says yes to %s', (_, error) => {
    expect(isDatabaseUnavailableError(error)).toBe(true);
  });

  it.each([
    ['a NUL in text (22021)', withCode('22021')],
    ['a unique violation (23505)', withCode('23505')],
    ['a syntax error (42601)', withCode('42601')],
    ['SQLite constraint', withCode('SQLITE_CONSTRAINT')],
    ['a plain error', new Error('boom')],
    [
      'an upstream that refuses connections',
      new UpstreamError('error', 'x', { cause: withCode('ECONNREFUSED') }),
    ],
    ['nothing', undefined],
    ['a string', 'ECONNREFUSED'],
  ])('says no to %s', (_, error) => {
    expect(isDatabaseUnavailableError(error)).toBe(false);
  });
});
