import { SharedAnswers } from './SharedAnswers';

describe('SharedAnswers', () => {
  function deferred<T>() {
    let resolve!: (v: T) => void;
    let reject!: (e: Error) => void;
    const promise = new Promise<T>((res, rej) => {
      resolve = res;
      reject = rej;
    });
    return { promise, resolve, reject };
  }

  it('shares one computation between concurrent callers of one key', async () => {
    const answers = new SharedAnswers<string>({ ttlMs: 0, maxEntries: 10 });
    const pending = deferred<string>();
    const compute = jest.fn(() => pending.promise);
    const calls = Array.from({ length: 100 }, () => answers.get('k', compute));
    pending.resolve('answer');
    expect(await Promise.all(calls)).toEqual(Array(100).fill('answer'));
    expect(compute).toHaveBeenCalledTimes(1);
    // ttl 0: nothing is kept once it is answered.
    expect(answers.size).toBe(0);
    await answers.get('k', async () => 'again');
    expect(compute).toHaveBeenCalledTimes(1);
  });

  it('keeps an answer for its lifetime, then computes it again', async () => {
    let now = 1000;
    const answers = new SharedAnswers<number>({
      ttlMs: 5000,
      maxEntries: 10,
      clock: () => now,
    });
    let n = 0;
    const compute = async () => ++n;
    expect(await answers.get('k', compute)).toBe(1);
    now += 4999;
    expect(await answers.get('k', compute)).toBe(1);
    expect(await answers.get('other', compute)).toBe(2);
    now += 1;
    expect(await answers.get('k', compute)).toBe(3);
  });

  it('does not keep a failure: the next caller computes again', async () => {
    const answers = new SharedAnswers<string>({ ttlMs: 60_000, maxEntries: 5 });
    await expect(
      answers.get('k', async () => {
        throw new Error('database down');
      }),
    ).rejects.toThrow('database down');
    expect(await answers.get('k', async () => 'recovered')).toBe('recovered');
  });

  it('keeps at most maxEntries answers, dropping the least recently used', async () => {
    const answers = new SharedAnswers<string>({ ttlMs: 60_000, maxEntries: 2 });
    await answers.get('a', async () => 'a1');
    await answers.get('b', async () => 'b1');
    await answers.get('a', async () => 'a2'); // a is used again: b is now the oldest
    await answers.get('c', async () => 'c1');
    expect(answers.size).toBe(2);
    expect(await answers.get('a', async () => 'a3')).toBe('a1');
    expect(await answers.get('b', async () => 'b2')).toBe('b2');
  });
});
