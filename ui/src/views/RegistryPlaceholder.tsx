import type { Route } from '../app/router';

/** The model registry pages come in part 2; MLflow's links land here and say what they point at. */
export default function RegistryPlaceholder({ route }: { route: Route }) {
  const what =
    route.name === 'model' ? `Registered model “${route.modelName}”` : route.name === 'modelVersion' ? `Version ${route.version} of “${route.modelName}”` : 'Registered models';
  return (
    <div className="empty">
      <h1>{what}</h1>
      <p>The model registry pages are coming. The registry API is served: use the MLflow client meanwhile.</p>
      <p>
        <a href="#/">Back to experiments</a>
      </p>
    </div>
  );
}
