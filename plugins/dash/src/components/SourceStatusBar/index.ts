export { SourceStatusBar, describeState } from './SourceStatusBar';
export type { SourceStatusBarProps } from './SourceStatusBar';
