/**
 * The source interface lives with the importer's other ports in shared/domain/import/source.ts (the domain may
 * import nothing from functions/); the readers here keep importing it from this path.
 */
export type * from '../../shared/domain/import/source.js';
