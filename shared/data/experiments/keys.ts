/**
 * Experiment keys.
 *   EXP#<id>          / EXP       the experiment (tags inline; gsi1: EXPERIMENTS / <id, zero-padded>)
 *   EXPNAME#<name>    / EXPNAME   name guard: holds the id; names are unique among active and deleted experiments
 *   SEQ#EXPERIMENT    / SEQ       id counter (atomic ADD): ids are 1, 2, 3… as in MLflow's SQL store
 */
export const experimentKey = (experimentId: string) => ({ pk: `EXP#${experimentId}`, sk: 'EXP' }) as const;
export const experimentNameKey = (name: string) => ({ pk: `EXPNAME#${name}`, sk: 'EXPNAME' }) as const;
export const experimentSequenceKey = () => ({ pk: 'SEQ#EXPERIMENT', sk: 'SEQ' }) as const;
export const EXPERIMENT_LISTING = 'EXPERIMENTS';
/** Zero-padded so that the listing sorts numerically. */
export const experimentListingKey = (experimentId: string) =>
  ({ gsi1pk: EXPERIMENT_LISTING, gsi1sk: experimentId.padStart(20, '0') }) as const;
