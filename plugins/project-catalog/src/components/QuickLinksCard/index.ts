export { QuickLinksCard } from './QuickLinksCard';
