import { InputError } from '@backstage/errors';
import { z } from 'zod';
import { describeZodError, protoKeyPath } from './schemas';

/**
 * Input through a schema, or an InputError whose message names each bad field. A `__proto__`
 * key is refused (zod would drop it silently). The routes and the actions parse with it.
 */
export function parseInput<T extends z.ZodType>(
  schema: T,
  value: unknown,
): z.output<T> {
  const protoKey = protoKeyPath(value);
  if (protoKey) {
    throw new InputError(`${protoKey}: key "__proto__" is a reserved name`);
  }
  const result = schema.safeParse(value);
  if (!result.success) throw new InputError(describeZodError(result.error));
  return result.data;
}
