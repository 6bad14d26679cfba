import {
  QuickLink,
  quickLinkSchema,
} from '@dash-suite/plugin-project-catalog-common';

/** A quick link as the editor holds it: every part as text. */
export interface LinkDraft {
  title: string;
  url: string;
  group: string;
  icon?: string;
}

export type LinkProblems = Partial<Record<'title' | 'url' | 'group', string>>;

export function toDraft(link: QuickLink): LinkDraft {
  return {
    title: link.title,
    url: link.url,
    group: link.group ?? '',
    ...(link.icon ? { icon: link.icon } : {}),
  };
}

export function fromDraft(draft: LinkDraft): QuickLink {
  return {
    title: draft.title.trim(),
    url: draft.url.trim(),
    ...(draft.group.trim() ? { group: draft.group.trim() } : {}),
    ...(draft.icon ? { icon: draft.icon } : {}),
  };
}

/** The problems of each link under `quickLinkSchema` (http/https only), by index; empty when all are good. */
export function linkProblems(
  drafts: LinkDraft[],
): Record<number, LinkProblems> {
  const problems: Record<number, LinkProblems> = {};
  drafts.forEach((draft, index) => {
    const result = quickLinkSchema.safeParse(fromDraft(draft));
    if (result.success) return;
    const found: LinkProblems = {};
    for (const issue of result.error.issues) {
      const key = issue.path[0];
      if (
        (key === 'title' || key === 'url' || key === 'group') &&
        !found[key]
      ) {
        found[key] = issue.message;
      }
    }
    problems[index] = found;
  });
  return problems;
}
