/**
 * Project Catalog: editable fields and their validation, entity merge helpers, API types and
 * client, and permissions.
 *
 * @packageDocumentation
 */
export * from './campaigns';
export * from './client';
export * from './discovery';
export * from './entity';
export * from './fields';
export * from './oncall';
export * from './permissions';
export * from './types';
export * from './validation';
