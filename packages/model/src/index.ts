export * from './attributes.ts';
export * from './errors.ts';
export * from './ids.ts';
export * from './random.ts';
export * from './span.ts';
export * from './time.ts';
