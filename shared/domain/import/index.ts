export { importHistory } from './import-history.js';
export { createMemoryCheckpoint } from './context.js';
export type * from './ports.js';
export type * from './source.js';
