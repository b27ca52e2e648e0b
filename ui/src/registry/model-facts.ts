import type { KeyValue } from '../api/types';
import { isDeploymentTag, type DeploymentStatus, type RegisteredModel } from './types';

/** The highest version among the latest per stage: the model's newest version. */
export const latestVersion = (model: RegisteredModel): string | undefined => {
  const numbers = (model.latest_versions ?? []).map((v) => Number(v.version)).filter(Number.isFinite);
  return numbers.length ? String(Math.max(...numbers)) : undefined;
};

/** The model's aliases, by version: version search answers leave them out, the model lists them all. */
export const aliasesByVersion = (model: RegisteredModel | undefined): Map<string, string[]> => {
  const byVersion = new Map<string, string[]>();
  for (const { alias, version } of model?.aliases ?? []) byVersion.set(version, [...(byVersion.get(version) ?? []), alias].sort());
  return byVersion;
};

/** Tags a person set: MLflow's own (`mlflow.*`) and Cairn's deployment bookkeeping left out, in key order. */
export const userTagPairs = (tags: readonly KeyValue[] | undefined): [string, string][] =>
  (tags ?? [])
    .filter((t) => !t.key.startsWith('mlflow.') && !isDeploymentTag(t.key))
    .map((t): [string, string] => [t.key, t.value])
    .sort(([a], [b]) => a.localeCompare(b));

export const DEPLOYMENT_LABEL: Record<DeploymentStatus, string> = {
  PENDING: 'Pending',
  PENDING_APPROVAL: 'Awaiting approval',
  DEPLOYING: 'Deploying',
  IN_SERVICE: 'In service',
  FAILED: 'Failed',
  ROLLED_BACK: 'Rolled back',
  REJECTED: 'Rejected',
  SUPERSEDED: 'Superseded',
  NOT_DEPLOYED: 'Not deployed',
};

export const isDeploymentStatus = (value: string | undefined): value is DeploymentStatus => Boolean(value && value in DEPLOYMENT_LABEL);

/** The model's deployment triggers, from the tag its policy writes (`alias:champion,stage:Production`). */
export const parseTriggers = (text: string | undefined): { aliases: string[]; stages: string[] } => {
  const aliases: string[] = [];
  const stages: string[] = [];
  for (const part of (text ?? '').split(',')) {
    const at = part.indexOf(':');
    const kind = part.slice(0, at).trim();
    const value = part.slice(at + 1).trim();
    if (at < 0 || !value) continue;
    if (kind === 'alias') aliases.push(value);
    else if (kind === 'stage') stages.push(value);
  }
  return { aliases, stages };
};

/** "alias @champion or stage Production", as the model page says what deploys. */
export const describeTriggers = (text: string | undefined): string =>
  (({ aliases, stages }) => [...aliases.map((a) => `alias @${a}`), ...stages.map((s) => `stage ${s}`)].join(' or '))(parseTriggers(text));
