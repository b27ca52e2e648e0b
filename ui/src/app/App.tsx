import { Suspense, lazy, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { adoptHistoryRoute, matchRoute, useHashLocation, type Route } from './router';
import { useTheme } from './theme';
import { useGlobalShortcuts } from './keyboard';
import { HelpDialog } from './HelpDialog';
import { ComparePage } from './extensions';
import { parseJsonList } from './url-state';

const ExperimentsPage = lazy(() => import('../views/experiments/ExperimentsPage'));
const ExperimentPage = lazy(() => import('../views/experiment/ExperimentPage'));
const RunPage = lazy(() => import('../views/run/RunPage'));
const LoggedModelPage = lazy(() => import('../views/models/LoggedModelPage'));
const TracePage = lazy(() => import('../traces/TracePage'));
const SignInPage = lazy(() => import('../views/SignInPage'));
const RegistryPage = lazy(() => import('../registry/RegistryPage'));

adoptHistoryRoute();

const PageFor = ({ route, search }: { route: Route; search: URLSearchParams }) => {
  switch (route.name) {
    case 'experiments':
      return <ExperimentsPage search={search} />;
    case 'experiment':
      return <ExperimentPage experimentId={route.experimentId} tab={route.tab} search={search} />;
    case 'run':
      return <RunPage experimentId={route.experimentId} runId={route.runId} artifactPath={route.artifactPath} />;
    case 'trace':
      return <TracePage experimentId={route.experimentId} traceId={route.traceId} search={search} />;
    case 'loggedModel':
      return <LoggedModelPage experimentId={route.experimentId} modelId={route.modelId} artifactPath={route.artifactPath} />;
    case 'compare':
      return (
        <div className="page-pad">
          <ComparePage runIds={parseJsonList(search.get('runs'))} experimentIds={parseJsonList(search.get('experiments'))} />
        </div>
      );
    case 'signin':
      return <SignInPage next={search.get('next') ?? '/'} />;
    case 'models':
    case 'model':
    case 'modelVersion':
      return <RegistryPage route={route} search={search} />;
    case 'notFound':
      return (
        <div className="empty">
          <h1>Page not found</h1>
          <p>
            Nothing lives at <code>{route.path}</code>. <a href="#/">Back to experiments</a>
          </p>
        </div>
      );
  }
};

const titleOf = (route: Route) => {
  switch (route.name) {
    case 'run':
      return 'Run';
    case 'experiment':
      return 'Experiment';
    case 'trace':
      return 'Trace';
    case 'compare':
      return 'Compare runs';
    case 'signin':
      return 'Sign in';
    case 'models':
    case 'model':
    case 'modelVersion':
      return 'Models';
    default:
      return 'Experiments';
  }
};

export const App = () => {
  const location = useHashLocation();
  const route = useMemo(() => matchRoute(location.path), [location.path]);
  const { theme, toggle } = useTheme();
  const [helpOpen, setHelpOpen] = useState(false);
  const handlers = useMemo(() => ({ help: () => setHelpOpen((open) => !open) }), []);
  useGlobalShortcuts(handlers);
  const main = useRef<HTMLElement>(null);
  const closeHelp = useCallback(() => setHelpOpen(false), []);

  useEffect(() => {
    document.title = `${titleOf(route)} · Cairn`;
  }, [route]);

  const section = route.name === 'models' || route.name === 'model' || route.name === 'modelVersion' ? 'models' : 'experiments';
  return (
    <div className="shell">
      <header className="topbar">
        <a className="brand" href="#/">
          <svg width="18" height="18" viewBox="0 0 16 16" aria-hidden="true">
            <path d="M2 14h12L11 9H5z M5 8h6L9.5 5h-3z M6.5 4h3L8 1z" fill="currentColor" />
          </svg>
          Cairn
        </a>
        <nav aria-label="Sections">
          <a href="#/" aria-current={section === 'experiments' ? 'page' : undefined}>
            Experiments
          </a>
          <a href="#/models" aria-current={section === 'models' ? 'page' : undefined}>
            Models
          </a>
        </nav>
        <span className="spacer" />
        <button type="button" onClick={toggle} aria-label={`Switch to ${theme === 'dark' ? 'light' : 'dark'} theme`}>
          {theme === 'dark' ? '☀ Light' : '☾ Dark'}
        </button>
        <button type="button" onClick={() => setHelpOpen(true)} aria-label="Keyboard shortcuts">
          ?
        </button>
      </header>
      <main className="page" ref={main} id="main">
        <Suspense fallback={<div className="page-pad muted">Loading…</div>}>
          <PageFor route={route} search={location.search} />
        </Suspense>
      </main>
      <HelpDialog open={helpOpen} onClose={closeHelp} />
    </div>
  );
};
