export { OnCallCard } from './OnCallCard';
export type { OnCallCardProps } from './OnCallCard';
