import { InputError } from '@backstage/errors';
import { z } from 'zod';

/** `tags[2]: must be ...; links[0].url: must be an http:// or https:// URL`: every issue, named by field. */
export function describeZodError(error: z.ZodError, prefix = ''): string {
  return error.issues
    .map(issue => {
      const path = issue.path
        .map((part, i) =>
          typeof part === 'number'
            ? `[${part}]`
            : `${i || prefix ? '.' : ''}${String(part)}`,
        )
        .join('');
      return `${prefix}${path || (prefix ? '' : 'input')}: ${issue.message}`;
    })
    .join('; ');
}

/** Parses or throws an InputError (a 400 in a Backstage backend) that names each bad field. */
export function parseOrThrow<T extends z.ZodType>(
  schema: T,
  value: unknown,
  prefix = '',
): z.output<T> {
  const result = schema.safeParse(value);
  if (!result.success) {
    throw new InputError(describeZodError(result.error, prefix));
  }
  return result.data;
}
