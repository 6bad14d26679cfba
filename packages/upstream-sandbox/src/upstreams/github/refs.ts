/*
 * Git refs of a repository's linear history: the default branch (also as HEAD and
 * refs/heads/<branch>), release tags (also as refs/tags/<tag>) and commit shas (7 characters or
 * more), as far as they are visible at `asOf`.
 */
import { Commit, ServiceData } from '../../scenario/model';

export type RefTarget =
  | { kind: 'commit'; index: number; commit: Commit }
  /** The default branch of a repository without commits. */
  | { kind: 'empty' };

/** What a ref names, or undefined when the repository has no such ref. */
export function resolveRef(
  data: ServiceData,
  defaultBranch: string,
  raw: string,
  asOf: number,
): RefTarget | undefined {
  const ref = raw.replace(/^refs\/(heads|tags)\//, '');
  let last = -1;
  for (let i = 0; i < data.commits.length; i++)
    if (data.commits[i].at <= asOf) last = i;
  const at = (index: number): RefTarget =>
    index < 0
      ? { kind: 'empty' }
      : { kind: 'commit', index, commit: data.commits[index] };
  if (ref === defaultBranch || ref === 'HEAD') return at(last);
  const release = data.releases.find(r => r.tag === ref && r.at <= asOf);
  if (release) {
    const index = data.commits.findIndex(c => c.sha === release.targetSha);
    return index >= 0 && index <= last ? at(index) : undefined;
  }
  if (/^[0-9a-f]{7,40}$/i.test(ref)) {
    const sha = ref.toLocaleLowerCase('en-US');
    for (let i = 0; i <= last; i++)
      if (data.commits[i].sha.startsWith(sha)) return at(i);
  }
  return undefined;
}
