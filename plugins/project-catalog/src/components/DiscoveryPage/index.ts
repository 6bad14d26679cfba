export { DiscoveryPage, DiscoveryContent } from './DiscoveryPage';
