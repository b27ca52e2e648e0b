import type { Route } from '../app/router';
import RegistryPlaceholder from '../views/RegistryPlaceholder';
import { ModelPage } from './ModelPage';
import { ModelsList } from './ModelsList';
import './registry.css';

/** The registry's pages behind MLflow's links: `#/models`, `#/models/<name>`, `#/models/<name>/versions/<v>`. */
export default function RegistryPage({ route, search }: { route: Route; search: URLSearchParams }) {
  switch (route.name) {
    case 'models':
      return <ModelsList search={search} />;
    case 'model':
      return <ModelPage key={route.modelName} name={route.modelName} search={search} />;
    default:
      return <RegistryPlaceholder route={route} />;
  }
}
