import { BackstageCredentials } from '@backstage/backend-plugin-api';
import { createHash } from 'node:crypto';

/** Source id of change events posted to `POST /changes`. */
export const CHANGES_SOURCE_ID = 'changes';

/** Longer posters are replaced by a digest, so that a stored id stays within its column. */
const MAX_POSTER_LENGTH = 200;

/**
 * Who posted a change: the signed-in user's entity ref (lower-cased, as entity refs compare) or
 * the service's subject (`external:deployctl`, `plugin:scaffolder`).
 */
export function posterOf(credentials: BackstageCredentials): string {
  const principal = credentials.principal as {
    type?: string;
    userEntityRef?: string;
    subject?: string;
  };
  let poster = 'anonymous';
  if (principal.type === 'user' && principal.userEntityRef) {
    poster = principal.userEntityRef.toLocaleLowerCase('en-US');
  } else if (principal.type === 'service' && principal.subject) {
    poster = principal.subject;
  }
  if (poster.length > MAX_POSTER_LENGTH) {
    poster = `sha256:${createHash('sha256')
      .update(poster)
      .digest('hex')
      .slice(0, 32)}`;
  }
  return poster;
}

/**
 * The stored id of a posted change: `changes:<id>#<poster>`. Ids are scoped by their poster, so
 * a poster reusing another's id makes a second event instead of replacing the first; the same
 * poster reposting an id updates its own event. A posted id never contains `#` (the schema
 * allows letters, digits and `. _ : / @ + -`), so the first `#` always ends it and two
 * (id, poster) pairs never share a stored id.
 */
export function scopedChangeId(
  id: string,
  credentials: BackstageCredentials,
): string {
  return `${CHANGES_SOURCE_ID}:${id}#${posterOf(credentials)}`;
}
