/**
 * Where the source's artifact roots went. Every imported experiment, run and logged model keeps its id and gets
 * its artifact root in Cairn's store (`<experiment root>/<run id>/artifacts`, `<experiment root>/models/<model
 * id>/artifacts`), and its files are copied there. A URI that points into one of those source roots is rewritten
 * to the same place under the Cairn root (a model version's `source`); any other URI is kept as it is:
 * `runs:/<run id>/…` and `models:/<id or name>/…` still resolve because ids and names are kept, and a location
 * in storage of the team's own (an S3 bucket the source server never held) is still read by clients directly.
 */
export interface ArtifactRootMap {
  /** Records that `sourceRoot` (and everything under it) is now at `targetRoot`. */
  add(sourceRoot: string, targetRoot: string): void;
  /** `uri` under the longest recorded source root, moved to its Cairn root; undefined when under none. */
  rewrite(uri: string): string | undefined;
}

const trimSlashes = (uri: string) => uri.replace(/\/+$/, '');

/**
 * The spellings of one root: MLflow's file store writes `file:///x/mlruns/1` as experiment location but clients
 * often register `/x/mlruns/1/...` (or the reverse), and `file:/x` is the same place as `file:///x`.
 */
const spellings = (root: string): string[] => {
  const trimmed = trimSlashes(root);
  const local = /^file:(?:\/\/[^/]*)?(\/.*)$/.exec(trimmed)?.[1];
  if (local !== undefined) return [trimmed, local, `file://${local}`, `file:${local}`];
  if (trimmed.startsWith('/')) return [trimmed, `file://${trimmed}`, `file:${trimmed}`];
  return [trimmed];
};

export const createArtifactRootMap = (): ArtifactRootMap => {
  const roots = new Map<string, string>();
  return {
    add(sourceRoot, targetRoot) {
      if (trimSlashes(sourceRoot) === '') return;
      for (const spelling of spellings(sourceRoot)) roots.set(spelling, trimSlashes(targetRoot));
    },
    rewrite(uri) {
      // The longest root first: the URI itself, then each parent folder up to the scheme.
      for (let end = uri.length; end > 0; end = uri.lastIndexOf('/', end - 1)) {
        const target = roots.get(uri.slice(0, end));
        if (target !== undefined) return `${target}${uri.slice(end)}`;
      }
      return undefined;
    },
  };
};
