export { GroupPicker, GROUP_HINT } from './GroupPicker';
export type { GroupPickerProps } from './GroupPicker';
