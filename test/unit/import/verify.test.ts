import { describe, expect, it } from 'vitest';
import { importHistory } from '../../../shared/domain/import/index.js';
import { verifyHistory, type VerifyTarget } from '../../../shared/domain/import/verify.js';
import { createMetricDigestBuilder } from '../../../shared/domain/import/verify-digest.js';
import { memoryArtifactStore } from '../../support/fakes/artifacts.js';
import { createMemoryRegistry } from '../../support/fakes/registry.js';
import { createTrackingPorts } from '../../support/fakes/tracking.js';
import { createMemorySource } from '../../support/import-source.js';
import { CHILD, MODEL, PARENT, REGISTERED, T0, world } from '../../integration/import/world.js';

/** Cairn in memory (the stores' fakes), as the importer and the verifier see it. */
const memoryCairn = () => {
  const tracking = createTrackingPorts();
  const memory = createMemoryRegistry({ now: tracking.ports.now });
  const { store } = memoryArtifactStore();
  const target: VerifyTarget = {
    tracking: { ...tracking.ports, registry: memory.registry },
    artifacts: { store },
  };
  return { target, store, tracking: target.tracking };
};

const imported = async () => {
  const source = createMemorySource(world());
  const cairn = memoryCairn();
  const summary = await importHistory(source, { tracking: { ...cairn.target.tracking, now: Date.now, defaultArtifactRoot: 'mlflow-artifacts:/' }, artifacts: cairn.target.artifacts });
  expect(summary.conflicts).toEqual([]);
  return { source, ...cairn };
};

describe('verifying an import', () => {
  it('finds no difference after an import, having compared every part of the source', async () => {
    // Prepare
    const { source, target } = await imported();

    // Act
    const report = await verifyHistory(source, target);

    // Assess
    expect(report.differences).toEqual([]);
    expect(report.counts).toMatchObject({
      experimentsTotal: 3,
      experiments: 3,
      runs: 4,
      metricPoints: 10 + 300 + 4 + 5 + 20 + 3,
      artifactFiles: 5,
      loggedModels: 2,
      registeredModels: 2,
      modelVersions: 5,
      differences: 0,
    });
  });

  it('names every planted difference: a param, a tag, a point, a file, a stage, an alias, an experiment tag', async () => {
    // Prepare
    const { source, target, store } = await imported();
    const { runs, registry, experiments } = target.tracking;
    const scope = { runId: PARENT, experimentId: '12' };
    await runs.logData(scope, { params: [{ key: 'extra', value: '1' }], tags: [{ key: 'team', value: 'audio' }], metrics: [{ key: 'loss', value: 9, timestamp: T0, step: 999 }] }, T0);
    await store.put(`12/${CHILD}/artifacts/notes.txt`, new TextEncoder().encode('changed'));
    await experiments.setTag('12', 'mlflow.note.content', 'rewritten');
    const model = (await registry.getModelByName(REGISTERED))!;
    const version = (await registry.getVersion(model, 1))!;
    await registry.change(model.modelId, () => ({
      versions: [{ version: { ...version, currentStage: 'Archived' }, isNew: false }],
      setAliases: [{ alias: 'challenger', version: 3 }],
      events: [],
      result: undefined,
    }));
    const found: string[] = [];

    // Act
    const report = await verifyHistory(source, target, { onDifferences: (differences) => found.push(...differences.map((d) => `${d.item}: ${d.aspect}`)) });

    // Assess
    expect(report.differences).toEqual(
      expect.arrayContaining([
        { item: `run ${PARENT}`, aspect: "param 'extra'", source: undefined, cairn: "'1'" },
        { item: `run ${PARENT}`, aspect: "tag 'team'", source: "'vision'", cairn: "'audio'" },
        { item: `run ${PARENT}`, aspect: "metric 'loss'", source: '300 points', cairn: '301 points' },
        { item: 'experiment 12', aspect: "tag 'mlflow.note.content'", source: "'Notizen über Läufe'", cairn: "'rewritten'" },
        { item: `registered model '${REGISTERED}' version 1`, aspect: 'stage', source: "'Production'", cairn: "'Archived'" },
        { item: `registered model '${REGISTERED}'`, aspect: "alias 'challenger'", source: undefined, cairn: "'3'" },
      ]),
    );
    expect(report.differences.find((d) => d.aspect === "artifact 'notes.txt'")).toMatchObject({ item: `run ${CHILD}`, cairn: expect.stringMatching(/^7 bytes, sha256 /) });
    expect(report.differences).toHaveLength(7);
    expect(found).toHaveLength(7);
    expect(report.counts.differences).toBe(7);
  });

  it('reports what is missing in Cairn: an experiment with its runs, a registered model', async () => {
    // Prepare: only experiment 0 was imported
    const source = createMemorySource(world());
    const cairn = memoryCairn();
    await importHistory(source, { tracking: { ...cairn.target.tracking, now: Date.now, defaultArtifactRoot: 'mlflow-artifacts:/' }, artifacts: cairn.target.artifacts }, { experimentIds: ['0'] });

    // Act
    const report = await verifyHistory(source, cairn.target);

    // Assess
    expect(report.differences).toEqual(
      expect.arrayContaining([
        { item: 'experiment 12', aspect: 'the experiment', source: "'Zürich ✓ 実験' with 3 runs", cairn: undefined },
        { item: `registered model '${REGISTERED}'`, aspect: 'the registered model', source: '5 versions', cairn: undefined },
      ]),
    );
  });

  it('compares only the selection the import was made with', async () => {
    // Prepare: experiment 0 alone imported, then verified with the same selection
    const source = createMemorySource(world());
    const cairn = memoryCairn();
    await importHistory(source, { tracking: { ...cairn.target.tracking, now: Date.now, defaultArtifactRoot: 'mlflow-artifacts:/' }, artifacts: cairn.target.artifacts }, { experimentIds: ['0'] });

    // Act
    const report = await verifyHistory(source, cairn.target, { experimentIds: ['0'] });

    // Assess
    expect(report.differences).toEqual([]);
    expect(report.counts).toMatchObject({ experiments: 1, runs: 1, registeredModels: 0 });
  });

  it('tells a deleted logged model from a missing one', async () => {
    // Prepare
    const { source, target } = await imported();
    await target.tracking.loggedModels.softDelete(MODEL, T0);

    // Act
    const report = await verifyHistory(source, target);

    // Assess
    expect(report.differences).toContainEqual({ item: `logged model ${MODEL}`, aspect: 'the logged model', source: 'active', cairn: 'deleted' });
  });
});

describe('the checksum of a metric history', () => {
  const digest = (points: [number, number, number][]) => {
    const builder = createMetricDigestBuilder();
    for (const [timestamp, step, value] of points) builder.add(timestamp, step, value);
    return builder.finish();
  };

  it('is the same whatever the order and repeats, and packed triples read as points', () => {
    // Prepare
    const points: [number, number, number][] = [[3, 1, 0.5], [1, 0, Number.NaN], [2, 2, Number.POSITIVE_INFINITY], [1, 0, Number.NaN]];
    const packed = createMetricDigestBuilder();
    packed.addTriples(Float64Array.from(points.slice(0, 3).reverse().flat()), 3);

    // Act
    const ordered = digest(points);
    const shuffled = digest([...points].reverse());

    // Assess
    expect(ordered.count).toBe(3);
    expect(shuffled).toEqual(ordered);
    expect(packed.finish()).toEqual(ordered);
  });

  it('changes with any value, step or timestamp, and holds -0 as 0', () => {
    // Prepare
    const base = digest([[1, 0, 0], [2, 1, 1]]);

    // Act
    const variants = [digest([[1, 0, 0], [2, 1, 1.0000001]]), digest([[1, 0, 0], [2, 2, 1]]), digest([[1, 0, 0], [3, 1, 1]])];

    // Assess
    for (const variant of variants) expect(variant.checksum).not.toBe(base.checksum);
    expect(digest([[1, 0, -0], [2, 1, 1]])).toEqual(base);
  });
});
