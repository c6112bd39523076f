export * from './attributes.ts';
export * from './ids.ts';
export * from './span.ts';
export * from './time.ts';
export * from './errors.ts';
