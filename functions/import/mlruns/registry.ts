import { join } from 'node:path';
import type { SourceModelVersion, SourceRegisteredModel } from '../source.js';
import { compareNames, listSubfolders, readKeyValueFolder } from './files.js';
import { metaNumber, metaString, readMetaFile } from './meta-yaml.js';
import { META_FILE, REGISTRY_FOLDER, type Warn } from './tracking.js';

/**
 * Reading MLflow's registry file store (`mlflow/store/model_registry/file_store.py`):
 *   <root>/models/<name>/meta.yaml, tags/<key>, aliases/<alias>   (an alias file holds the version number)
 *   <root>/models/<name>/version-<n>/meta.yaml, tags/<key>
 * A deleted registered model is removed from disk; a deleted version stays, with stage `Deleted_Internal`.
 */

export const STAGE_DELETED_INTERNAL = 'Deleted_Internal';
const VERSION_FOLDER = /^version-(\d+)$/;

export const listRegisteredModelFolders = async (root: string): Promise<string[]> =>
  listSubfolders(join(root, REGISTRY_FOLDER));

const readVersion = async (dir: string, folderVersion: number, warn: Warn): Promise<SourceModelVersion | undefined> => {
  const meta = await readMetaFile(join(dir, META_FILE));
  if (meta === undefined) {
    warn(`skipped ${dir}: no ${META_FILE} (not a model version)`);
    return undefined;
  }
  const text = (key: string) => metaString(meta, key);
  const [userId, description, runId, runLink, status, statusMessage, modelId] = [
    'user_id', 'description', 'run_id', 'run_link', 'status', 'status_message', 'model_id',
  ].map(text);
  const currentStage = text('current_stage') ?? 'None';
  const creationTimestamp = metaNumber(meta, 'creation_timestamp') ?? 0;
  return {
    version: metaNumber(meta, 'version') ?? folderVersion,
    creationTimestamp,
    lastUpdatedTimestamp: metaNumber(meta, 'last_updated_timestamp') ?? creationTimestamp,
    ...(userId === undefined ? {} : { userId }),
    currentStage,
    ...(description === undefined ? {} : { description }),
    source: text('source') ?? '',
    ...(runId ? { runId } : {}),
    ...(runLink === undefined ? {} : { runLink }),
    ...(status === undefined ? {} : { status }),
    ...(statusMessage === undefined ? {} : { statusMessage }),
    ...(modelId ? { modelId } : {}),
    tags: await readKeyValueFolder(join(dir, 'tags')),
    deleted: currentStage === STAGE_DELETED_INTERNAL,
  };
};

/**
 * One registered model with every version, deleted ones included, in version order. Aliases come from the
 * aliases folder (MLflow's meta.yaml copy of them may be stale).
 */
export const readRegisteredModel = async (
  root: string,
  folder: string,
  warn: Warn,
): Promise<SourceRegisteredModel | undefined> => {
  const dir = join(root, REGISTRY_FOLDER, folder);
  const meta = await readMetaFile(join(dir, META_FILE));
  if (meta === undefined) {
    warn(`skipped ${dir}: no ${META_FILE} (not a registered model)`);
    return undefined;
  }
  const versions: SourceModelVersion[] = [];
  for (const name of (await listSubfolders(dir)).sort(compareNames)) {
    const match = VERSION_FOLDER.exec(name);
    if (match === null) continue;
    const version = await readVersion(join(dir, name), Number(match[1]), warn);
    if (version !== undefined) versions.push(version);
  }
  versions.sort((a, b) => a.version - b.version);
  const aliases = (await readKeyValueFolder(join(dir, 'aliases'))).flatMap(({ key, value }) => {
    const version = Number(value.trim());
    if (!Number.isInteger(version)) {
      warn(`${dir}: alias ${key} names no version (${JSON.stringify(value)}); skipped`);
      return [];
    }
    return [{ alias: key, version }];
  });
  const description = metaString(meta, 'description');
  const creationTimestamp = metaNumber(meta, 'creation_timestamp') ?? 0;
  return {
    name: metaString(meta, 'name') ?? folder,
    creationTimestamp,
    lastUpdatedTimestamp: metaNumber(meta, 'last_updated_timestamp') ?? creationTimestamp,
    ...(description === undefined ? {} : { description }),
    tags: await readKeyValueFolder(join(dir, 'tags')),
    aliases,
    versions,
  };
};
