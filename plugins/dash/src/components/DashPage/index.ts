export { DashPage, DashPageContent, ENTITY_PARAM } from './DashPage';
