export {
  Deadline,
  STATUS_LABELS,
  StatusChip,
  UNFINISHED_STATUSES,
  countsSummary,
  degradedSummary,
  degradedText,
  degradedTotal,
  finishedOf,
  formatDate,
  instructionsOf,
  isPast,
} from './presentation';
