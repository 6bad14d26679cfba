export { CorrelationMarks } from './CorrelationMarks';
export type { CorrelationMarksProps } from './CorrelationMarks';
