export { DoraCard } from './DoraCard';
export type { DoraCardProps } from './DoraCard';
