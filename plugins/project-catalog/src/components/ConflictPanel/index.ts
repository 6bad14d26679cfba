export { ConflictPanel } from './ConflictPanel';
export type {
  ConflictCurrent,
  ConflictPanelProps,
  ConflictRow,
} from './ConflictPanel';
