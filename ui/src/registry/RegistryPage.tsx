import type { Route } from '../app/router';
import { ModelPage } from './ModelPage';
import { ModelsList } from './ModelsList';
import { VersionPage } from './VersionPage';
import './registry.css';

/** The registry's pages behind MLflow's links: `#/models`, `#/models/<name>`, `#/models/<name>/versions/<v>`. */
export default function RegistryPage({ route, search }: { route: Route; search: URLSearchParams }) {
  switch (route.name) {
    case 'models':
      return <ModelsList search={search} />;
    case 'model':
      return <ModelPage key={route.modelName} name={route.modelName} search={search} />;
    case 'modelVersion':
      return <VersionPage key={`${route.modelName}/${route.version}`} name={route.modelName} version={route.version} />;
    default:
      return null;
  }
}
