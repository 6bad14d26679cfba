export { UpstreamLinks } from './UpstreamLinks';
