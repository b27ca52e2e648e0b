import type { ImportCounts, ImportProgress } from '../../../shared/domain/import/ports.js';
import type { ImportSource } from '../../../shared/domain/import/source.js';

/**
 * What each experiment brought, for its line when it is finished. The importer works on several experiments at
 * once and its counts are running totals, so each event's increase is credited to the experiment of the item it
 * names (a run, a logged model): the source is watched as it lists them, to know whose they are.
 */

export interface ExperimentTally {
  runs: number;
  metricPoints: number;
  artifactFiles: number;
  artifactBytes: number;
  loggedModels: number;
}

const emptyTally = (): ExperimentTally => ({ runs: 0, metricPoints: 0, artifactFiles: 0, artifactBytes: 0, loggedModels: 0 });

export const createExperimentTally = (source: ImportSource) => {
  const names = new Map<string, string>();
  const owners = new Map<string, string>();
  const tallies = new Map<string, ExperimentTally>();
  let previous: Readonly<ImportCounts> | undefined;

  const watched: ImportSource = {
    ...source,
    async *experiments() {
      for await (const experiment of source.experiments()) {
        names.set(experiment.experimentId, experiment.name);
        yield experiment;
      }
    },
    async *runs(experimentId) {
      for await (const run of source.runs(experimentId)) {
        owners.set(`run ${run.runId}`, experimentId);
        yield run;
      }
    },
    async *loggedModels(experimentId) {
      for await (const model of source.loggedModels(experimentId)) {
        owners.set(`logged model ${model.modelId}`, experimentId);
        yield model;
      }
    },
  };

  return {
    source: watched,
    /** Credits the event's increase to its item's experiment. */
    record(event: ImportProgress) {
      const before = previous;
      previous = event.counts;
      const experimentId = event.item === undefined ? undefined : owners.get(event.item);
      if (experimentId === undefined) return;
      const tally = tallies.get(experimentId) ?? emptyTally();
      tallies.set(experimentId, tally);
      for (const key of Object.keys(tally) as (keyof ExperimentTally)[]) tally[key] += event.counts[key] - (before?.[key] ?? 0);
      // A run's or model's last event: nothing more will name it.
      if (event.phase === 'runs' || event.phase === 'logged-models') owners.delete(event.item ?? '');
    },
    /** The experiment's name and what it brought, forgotten once asked. */
    finished(experimentId: string) {
      const tally = tallies.get(experimentId) ?? emptyTally();
      tallies.delete(experimentId);
      return { name: names.get(experimentId), tally };
    },
  };
};
