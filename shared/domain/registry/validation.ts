import { invalidParameter, notFound, alreadyExists } from '../../errors/index.js';
import { STAGES, type Stage } from './entities.js';
import { limitLength, validateEntityName } from '../tracking/validation.js';
import { unquoteRepeatedly } from '../artifacts/artifact-paths.js';

// MLflow's wording (mlflow/utils/validation.py, mlflow/store/model_registry/sqlalchemy_store.py).

export const registeredModelNotFound = (name: string) => notFound(`Registered Model with name=${name} not found`);
export const registeredModelExists = (name: string) => alreadyExists(`Registered Model (name=${name}) already exists.`);
export const modelVersionNotFound = (name: string, version: number | string) =>
  notFound(`Model Version (name=${name}, version=${version}) not found`);

export const validateModelName = (name: string): void => {
  if (name === '') throw invalidParameter('Registered model name cannot be empty.');
  limitLength('Registered model name', 256, name);
};

/** Versions travel as decimal strings; anything else is INVALID_PARAMETER_VALUE, never a 5xx. */
export const parseVersion = (version: string | number): number => {
  const text = String(version).trim();
  if (!/^-?\d+$/.test(text)) throw invalidParameter(`Parameter 'version' must be an integer, got '${version}'.`);
  return Number(text);
};

/** Stages are matched case-insensitively and answered in canonical spelling. */
export const parseStage = (stage: string): Stage => {
  const found = STAGES.find((s) => s.toLowerCase() === stage.toLowerCase());
  if (!found) {
    throw invalidParameter(`Invalid Model Version stage: ${stage}. Value must be one of ${STAGES.join(', ')}.`);
  }
  return found;
};

export const validateAlias = (alias: string): void => {
  if (alias === '') throw invalidParameter('Registered model alias name cannot be empty.');
  if (!/^[\w-]*$/u.test(alias)) {
    throw invalidParameter(`Invalid alias name: '${alias}'. Names may only contain alphanumerics, underscores (_), and dashes (-).`);
  }
  limitLength('Registered model alias name', 255, alias);
  if (alias.toLowerCase() === 'latest') throw invalidParameter("'latest' alias name (case insensitive) is reserved.");
  if (/^[vV]\d+$/.test(alias)) throw invalidParameter(`Version alias name '${alias}' is reserved.`);
};

export const validateRegistryTag = (entity: 'Registered model' | 'Model version', key: string, value: string): void => {
  validateEntityName('tag', key);
  limitLength(`${entity} key`, 250, key);
  limitLength(`${entity} value`, 100_000, value);
};

/**
 * A version's source must not reach outside where artifacts live: `..` segments (after decoding) and NUL
 * are refused, as are local paths and `file:` URIs, which mean nothing to a server without a filesystem.
 */
export const validateSource = (source: string): void => {
  const decoded = unquoteRepeatedly(source).text;
  const unsafe = decoded.includes('\0') || decoded.split(/[/\\]/).includes('..');
  const local = decoded.startsWith('/') || /^file:/i.test(decoded) || /^[a-zA-Z]:[\\/]/.test(decoded);
  if (unsafe) {
    // MLflow's whole message (_validate_non_local_source_contains_relative_paths): clients and tests match its second sentence.
    throw invalidParameter(
      `Invalid model version source: '${source}'. If supplying a source as an http, https, local file path, ftp, objectstore, ` +
        'or mlflow-artifacts uri, an absolute path must be provided without relative path references present. Please provide an absolute path.',
    );
  }
  if (local) throw invalidParameter(`Invalid model version source: '${source}'.`);
};
