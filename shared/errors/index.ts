export * from './error-codes.js';
export * from './mlflow-error.js';
export * from './factories.js';
