/**
 * Logged-model keys (MLflow 3). A logged model is one item: params, tags and metrics inline, since models
 * are written a few times and read whole.
 *   LM#<modelId> / LM             the model (gsi1: LMEXP#<experimentId> / <creation ms, 15 digits>#<modelId>)
 */
export const loggedModelKey = (modelId: string) => ({ pk: `LM#${modelId}`, sk: 'LM' }) as const;
export const loggedModelListingPartition = (experimentId: string) => `LMEXP#${experimentId}`;
export const loggedModelListingKey = (experimentId: string, creationMs: number, modelId: string) =>
  ({
    gsi1pk: loggedModelListingPartition(experimentId),
    gsi1sk: `${String(creationMs).padStart(15, '0')}#${modelId}`,
  }) as const;
