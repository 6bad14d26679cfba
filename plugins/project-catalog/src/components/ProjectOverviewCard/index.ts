export { ProjectOverviewCard } from './ProjectOverviewCard';
