/** The conformance replayer: load the shared MLflow fixtures and replay them against a target. */
export * from './fixture.js';
export * from './placeholders.js';
export * from './compare.js';
export * from './replay.js';
