export { ServicePicker } from './ServicePicker';
export type { ServicePickerProps } from './ServicePicker';
