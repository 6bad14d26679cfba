export { DensityHistogram, HISTOGRAM_BUCKETS } from './DensityHistogram';
export type { DensityHistogramProps } from './DensityHistogram';
export { TimeAxis, percentAt } from './TimeAxis';
