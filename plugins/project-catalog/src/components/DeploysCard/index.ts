export { DeploysCard } from './DeploysCard';
export type { DeploysCardProps } from './DeploysCard';
