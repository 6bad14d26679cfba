export { DashSearchResultListItem } from './DashSearchResultListItem';
export type { DashSearchResultListItemProps } from './DashSearchResultListItem';
