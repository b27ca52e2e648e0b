import { z } from 'zod';
import { experimentNotFound } from '../errors/index.js';
import { ExperimentId, Int32, RequiredString, lookupKey, requiredKey } from './common.js';

/**
 * MLflow 3's scorer RPCs (service.proto RegisterScorer, ListScorers, ListScorerVersions, GetScorer, DeleteScorer):
 * every field the handlers mark `_assert_required` is required here, with MLflow's "Missing value" answer.
 */

/** An experiment to look up: an id too long for a key is an experiment that does not exist. */
const ExperimentRef = ExperimentId.pipe(requiredKey(experimentNotFound));
/** A scorer name is part of a sort key: at most 1,000 UTF-8 bytes (MLflow's column holds 256 characters). */
const ScorerName = RequiredString.pipe(lookupKey());

export const RegisterScorerRequest = z.object({
  experiment_id: ExperimentRef,
  name: ScorerName,
  serialized_scorer: RequiredString,
});

export const ListScorersRequest = z.object({ experiment_id: ExperimentRef });

export const ScorerNameRequest = z.object({ experiment_id: ExperimentRef, name: ScorerName });

/** GetScorer and DeleteScorer: without `version`, the latest (get) or every version (delete). */
export const ScorerVersionRequest = z.object({ experiment_id: ExperimentRef, name: ScorerName, version: Int32.optional() });
