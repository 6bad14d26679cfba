/**
 * Common types, client, permissions and annotation names of the DASH plugin.
 *
 * @packageDocumentation
 */
export * from './annotations';
export * from './client';
export * from './dashUrl';
export * from './links';
export * from './permissions';
export * from './search';
export * from './signals';
export * from './time';
export * from './types';
