export { QuickLinksEditor } from './QuickLinksEditor';
export type { QuickLinksEditorProps } from './QuickLinksEditor';
export { fromDraft, linkProblems, toDraft } from './linkDrafts';
export type { LinkDraft, LinkProblems } from './linkDrafts';
