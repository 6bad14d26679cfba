export { EntityDashContent } from './EntityDashContent';
