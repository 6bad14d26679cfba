/**
 * Common types, client, permissions and annotation names of the DASH plugin.
 *
 * @packageDocumentation
 */
export * from './annotations';
export * from './client';
export * from './links';
export * from './permissions';
export * from './time';
export * from './types';
