import { storableText, stripNul } from './storableText';

describe('storableText', () => {
  it('removes NUL characters', () => {
    expect(stripNul('a\u0000b\u0000')).toBe('ab');
    expect(storableText('{"x\u0000{"truncated', 100)).toBe('{"x{"truncated');
  });

  it('cuts at the limit, after removing NULs, never inside a surrogate pair', () => {
    expect(storableText('\u0000abcdef', 3)).toBe('abc');
    // '😀' is two UTF-16 units: cutting after its first would leave half a character.
    expect(storableText('ab😀cd', 3)).toBe('ab');
    expect(storableText('ab😀cd', 4)).toBe('ab😀');
    expect(storableText('short', 2000)).toBe('short');
  });
});
