export { CreateProjectPage, CreateProjectContent } from './CreateProjectPage';
