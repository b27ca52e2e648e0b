/** What a new user runs to fill an empty experiment: the tracking URI of this very server. */
export const EmptyRuns = ({ experimentId, filtered }: { experimentId: string; filtered: boolean }) => {
  if (filtered) return <div className="empty">No runs match. Change the filter or show active runs.</div>;
  const origin = window.location.origin;
  return (
    <div className="empty">
      <h2>No runs in this experiment yet</h2>
      <p>Log one with the MLflow client:</p>
      <pre>{`export MLFLOW_TRACKING_URI=${origin}
python - <<'EOF'
import mlflow
mlflow.set_experiment(experiment_id="${experimentId}")
with mlflow.start_run():
    mlflow.log_param("lr", 0.01)
    mlflow.log_metric("loss", 0.42)
EOF`}</pre>
    </div>
  );
};
