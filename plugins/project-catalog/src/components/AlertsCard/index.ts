export { AlertsCard } from './AlertsCard';
export type { AlertsCardProps } from './AlertsCard';
