import { z } from 'zod';
import type { Experiment } from '../../domain/tracking/entities.js';
import { entityHeader, parseItem, stamp, StringMapSchema } from '../codec.js';
import type { Item } from '../dynamo-ops.js';
import { experimentKey, experimentListingKey, experimentNameKey } from './keys.js';

const ENTITY = 'experiment';

const ExperimentItemSchema = z.object({
  ...entityHeader(ENTITY),
  experimentId: z.string(),
  name: z.string(),
  artifactLocation: z.string(),
  lifecycleStage: z.enum(['active', 'deleted']),
  creationTime: z.number(),
  lastUpdateTime: z.number(),
  tags: StringMapSchema,
});

export const toExperimentItem = (experiment: Experiment): Item => ({
  ...experimentKey(experiment.experimentId),
  ...experimentListingKey(experiment.experimentId),
  ...stamp(ENTITY),
  ...experiment,
});

export const fromExperimentItem = (item: Item): Experiment => {
  const { _et, _v, ...experiment } = parseItem(ExperimentItemSchema, item);
  return experiment;
};

export const toNameGuardItem = (name: string, experimentId: string): Item => ({
  ...experimentNameKey(name),
  ...stamp('experiment-name'),
  experimentId,
});

export const NameGuardSchema = z.object({ ...entityHeader('experiment-name'), experimentId: z.string() });
