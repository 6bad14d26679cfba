export { SourceStatusBar, describeState } from './SourceStatusBar';
export type { SourceStatusBarProps } from './SourceStatusBar';
export { RefreshButton } from './RefreshButton';
export type { RefreshButtonProps } from './RefreshButton';
