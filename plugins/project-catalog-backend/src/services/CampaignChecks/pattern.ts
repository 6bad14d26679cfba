import { z } from 'zod';

/** Longest pattern accepted: patterns come from campaign managers, and are kept short. */
const LONGEST_PATTERN = 300;

/** A regular expression as text, compiled (multi-line) to check that it is one. */
export const patternSchema = z
  .string()
  .min(1, 'must not be empty')
  .max(LONGEST_PATTERN, `must be at most ${LONGEST_PATTERN} characters`)
  .refine(
    p => {
      try {
        safeRegExp(p);
        return true;
      } catch {
        return false;
      }
    },
    { message: 'must be a regular expression' },
  );

/** The pattern compiled multi-line, so that `^` and `$` match at line breaks. */
export function safeRegExp(pattern: string): RegExp {
  return new RegExp(pattern, 'm');
}
