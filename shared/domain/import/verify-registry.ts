import { STAGES, type ModelVersion } from '../registry/entities.js';
import type { SourceModelVersion, SourceRegisteredModel } from './source.js';
import { compareField, compareKeyValues, toRecord, type ImportDifference } from './verify-compare.js';
import type { VerifyContext } from './verify-context.js';

/**
 * A registered model of the source against Cairn's of the same name: description, tags, aliases (those on live
 * versions: the importer sets no alias on a deleted version), and every version's deleted state, stage,
 * description, tags, run and source. A source pointing into an artifact root the import moved is expected at its
 * new place (artifact-roots.ts); the roots are those verify.ts met on its way through experiments, runs and
 * logged models.
 */
export const verifyRegisteredModel = async (context: VerifyContext, model: SourceRegisteredModel): Promise<void> => {
  const item = `registered model '${model.name}'`;
  const { registry } = context.target.tracking;
  context.counts.registeredModels++;
  const cairn = await registry.getModelByName(model.name);
  if (!cairn) {
    context.report([{ item, aspect: 'the registered model', source: `${model.versions.length} versions`, cairn: undefined }]);
    return;
  }
  const live = new Set(model.versions.filter((version) => !version.deleted).map((version) => version.version));
  const aliases = Object.fromEntries(model.aliases.filter((alias) => live.has(alias.version)).map((alias) => [alias.alias, String(alias.version)]));
  const present = new Map((await registry.listVersions(cairn)).map((version) => [version.version, version]));
  const numbers = [...new Set([...model.versions.map((version) => version.version), ...present.keys()])].sort((a, b) => a - b);
  const differences: ImportDifference[] = [
    ...compareField(item, 'description', model.description ?? '', cairn.description ?? ''),
    ...compareKeyValues(item, 'tag', toRecord(model.tags), cairn.tags),
    ...compareKeyValues(item, 'alias', aliases, Object.fromEntries(Object.entries(cairn.aliases).map(([alias, version]) => [alias, String(version)]))),
  ];
  for (const number of numbers) {
    const version = model.versions.find((candidate) => candidate.version === number);
    differences.push(...compareVersion(context, `${item} version ${number}`, version, present.get(number)));
    if (version) context.counts.modelVersions++;
  }
  context.report(differences);
  context.emit();
};

const compareVersion = (
  context: VerifyContext,
  item: string,
  source: SourceModelVersion | undefined,
  cairn: ModelVersion | undefined,
): ImportDifference[] => {
  if (!source || !cairn || source.deleted || cairn.deleted) {
    return compareField(item, 'the version', source && (source.deleted ? 'deleted' : 'present'), cairn && (cairn.deleted ? 'deleted' : 'present'));
  }
  return [
    ...compareField(item, 'stage', stageOf(source.currentStage), cairn.currentStage),
    ...compareField(item, 'description', source.description ?? '', cairn.description ?? ''),
    ...compareKeyValues(item, 'tag', toRecord(source.tags), cairn.tags),
    ...compareField(item, 'run', source.runId ?? '', cairn.runId ?? ''),
    ...compareField(item, 'source', context.roots.rewrite(source.source) ?? source.source, cairn.source),
  ];
};

/** MLflow's stage in its canonical spelling; another value was imported as None (and warned about). */
const stageOf = (stage: string) => STAGES.find((known) => known.toLowerCase() === stage.toLowerCase()) ?? 'None';
