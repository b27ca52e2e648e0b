import { useEffect, useState } from 'react';

interface MlmodelSummary {
  flavors: string[];
  runId?: string;
  modelUuid?: string;
  created?: string;
  inputs?: string;
  outputs?: string;
}

/** YAML with its keys highlighted; for MLmodel, a summary (flavors, signature) read with the yaml package. */
export const YamlView = ({ text, isMlmodel, complete }: { text: string; isMlmodel: boolean; complete: boolean }) => {
  const [summary, setSummary] = useState<MlmodelSummary>();
  useEffect(() => {
    if (!isMlmodel || !complete) return;
    let live = true;
    void import('yaml').then(({ parse }) => {
      try {
        const doc = parse(text) as Record<string, unknown>;
        const signature = (doc.signature ?? {}) as Record<string, unknown>;
        if (live)
          setSummary({
            flavors: Object.keys((doc.flavors ?? {}) as object),
            runId: doc.run_id as string | undefined,
            modelUuid: doc.model_uuid as string | undefined,
            created: doc.utc_time_created as string | undefined,
            inputs: typeof signature.inputs === 'string' ? signature.inputs : undefined,
            outputs: typeof signature.outputs === 'string' ? signature.outputs : undefined,
          });
      } catch {
        // Not valid YAML: the highlighted text below still shows it.
      }
    });
    return () => {
      live = false;
    };
  }, [text, isMlmodel, complete]);

  return (
    <div>
      {summary && (
        <table className="kv mlmodel-summary" aria-label="MLmodel summary">
          <tbody>
            <tr><th scope="row">Flavors</th><td>{summary.flavors.join(', ')}</td></tr>
            {summary.runId && <tr><th scope="row">Run</th><td className="mono">{summary.runId}</td></tr>}
            {summary.modelUuid && <tr><th scope="row">Model UUID</th><td className="mono">{summary.modelUuid}</td></tr>}
            {summary.created && <tr><th scope="row">Created</th><td>{summary.created}</td></tr>}
            {summary.inputs && <tr><th scope="row">Inputs</th><td className="mono small">{summary.inputs}</td></tr>}
            {summary.outputs && <tr><th scope="row">Outputs</th><td className="mono small">{summary.outputs}</td></tr>}
          </tbody>
        </table>
      )}
      <pre className="text-preview yaml">
        {text.split('\n').map((line, i) => {
          const match = /^(\s*(?:- )?)([^\s:#][^:#]*?)(:)(\s|$)(.*)$/.exec(line);
          return (
            <span key={i}>
              {match ? (
                <>
                  {match[1]}
                  <span className="yaml-key">{match[2]}</span>
                  {match[3]}
                  {match[4]}
                  {match[5]}
                </>
              ) : (
                line
              )}
              {'\n'}
            </span>
          );
        })}
      </pre>
    </div>
  );
};
