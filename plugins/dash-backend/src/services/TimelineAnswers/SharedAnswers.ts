/**
 * Answers computed once and shared: callers asking with the same key while the answer is being
 * computed wait for that one computation, and callers asking within `ttlMs` after it finished get
 * the same answer. A failed computation is not kept. At most `maxEntries` answers are kept (the
 * least recently used go first). With `ttlMs` 0 only concurrent callers share.
 */
export class SharedAnswers<T> {
  private readonly entries = new Map<
    string,
    { answer: Promise<T>; expires: number }
  >();
  private readonly clock: () => number;

  constructor(
    private readonly options: {
      ttlMs: number;
      maxEntries: number;
      clock?: () => number;
    },
  ) {
    this.clock = options.clock ?? Date.now;
  }

  get(key: string, compute: () => Promise<T>): Promise<T> {
    const now = this.clock();
    const hit = this.entries.get(key);
    if (hit && hit.expires > now) {
      // Most recently used last.
      this.entries.delete(key);
      this.entries.set(key, hit);
      return hit.answer;
    }
    const entry = { answer: compute(), expires: Number.POSITIVE_INFINITY };
    this.entries.delete(key);
    this.entries.set(key, entry);
    entry.answer.then(
      () => {
        entry.expires = this.clock() + this.options.ttlMs;
        if (this.options.ttlMs <= 0) this.forget(key, entry);
      },
      () => this.forget(key, entry),
    );
    while (this.entries.size > Math.max(1, this.options.maxEntries)) {
      this.entries.delete(this.entries.keys().next().value!);
    }
    return entry.answer;
  }

  /** How many answers are kept or being computed. */
  get size(): number {
    return this.entries.size;
  }

  private forget(key: string, entry: { answer: Promise<T> }) {
    if (this.entries.get(key) === entry) this.entries.delete(key);
  }
}
