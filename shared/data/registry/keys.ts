/**
 * Model registry keys. A registered model has an immutable id; its name is a guard item, so a rename is
 * one small transaction and nothing else moves.
 *   RM#<modelId>     / RM                     the model: tags, aliases, version counter, event position
 *                                             (gsi1: REGISTERED_MODELS / <name>)
 *   RM#<modelId>     / MV#<version, 10 digits> a version with its tags (gsi1: MODEL_VERSIONS / <modelId>#<version>)
 *   RMNAME#<name>    / RMNAME                 name guard: holds the model id; names are unique
 * Events of a model: shared/data/registry-events/keys.ts.
 */
export const registeredModelKey = (modelId: string) => ({ pk: `RM#${modelId}`, sk: 'RM' }) as const;
export const registeredModelPartition = (modelId: string) => `RM#${modelId}`;
export const modelVersionKey = (modelId: string, version: number) =>
  ({ pk: `RM#${modelId}`, sk: `MV#${String(version).padStart(10, '0')}` }) as const;
export const MODEL_VERSION_PREFIX = 'MV#';
export const registeredModelNameKey = (name: string) => ({ pk: `RMNAME#${name}`, sk: 'RMNAME' }) as const;
export const REGISTERED_MODEL_LISTING = 'REGISTERED_MODELS';
export const registeredModelListingKey = (name: string) => ({ gsi1pk: REGISTERED_MODEL_LISTING, gsi1sk: name }) as const;
export const MODEL_VERSION_LISTING = 'MODEL_VERSIONS';
export const modelVersionListingKey = (modelId: string, version: number) =>
  ({ gsi1pk: MODEL_VERSION_LISTING, gsi1sk: `${modelId}#${String(version).padStart(10, '0')}` }) as const;
