/**
 * Node library for DASH source modules: the extension point and the SignalSource interface.
 *
 * @packageDocumentation
 */
export * from './extensions';
export * from './SignalSource';
export * from './eventIds';
export * from './helpers';
export * from './allowList';
