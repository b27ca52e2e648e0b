import { z } from 'zod';
import type { ScorerHead, ScorerVersion } from '../../domain/genai/scorers-entities.js';
import { entityHeader, parseItem, stamp } from '../codec.js';
import type { Item } from '../dynamo-ops.js';
import { scorerHeadKey, scorerVersionKey } from './keys.js';

const HEAD = 'scorer';
const VERSION = 'scorer-version';

const HeadSchema = z.object({
  ...entityHeader(HEAD),
  experimentId: z.string(),
  name: z.string(),
  scorerId: z.string(),
  latestVersion: z.number().int().min(0),
  /** Bumped by every change of the scorer: the condition that serializes registrations and deletions. */
  revision: z.number().int().min(1),
});

const VersionSchema = z.object({
  ...entityHeader(VERSION),
  experimentId: z.string(),
  name: z.string(),
  scorerId: z.string(),
  version: z.number().int().min(1),
  serializedScorer: z.string(),
  creationTime: z.number(),
});

export type StoredScorerHead = ScorerHead & { readonly revision: number };

export const toScorerHeadItem = (head: StoredScorerHead): Item => ({
  ...scorerHeadKey(head.experimentId, head.name),
  ...stamp(HEAD),
  experimentId: head.experimentId,
  name: head.name,
  scorerId: head.scorerId,
  latestVersion: head.latestVersion,
  revision: head.revision,
});

export const fromScorerHeadItem = (item: Item): StoredScorerHead => {
  const { _et, _v, ...head } = parseItem(HeadSchema, item);
  return head;
};

export const toScorerVersionItem = (version: ScorerVersion): Item => ({
  ...scorerVersionKey(version.scorerId, version.version),
  ...stamp(VERSION),
  ...version,
});

export const fromScorerVersionItem = (item: Item): ScorerVersion => {
  const { _et, _v, ...version } = parseItem(VersionSchema, item);
  return version;
};
