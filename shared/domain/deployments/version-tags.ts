import type { ModelVersion } from '../registry/entities.js';
import type { RegistryStore } from '../registry/ports.js';
import { DEPLOYMENT_TAGS, type Deployment } from './entities.js';

/** The version tags that show a deployment's state through MLflow's own API (`get_model_version().tags`). */
export const deploymentTags = (deployment: Deployment): Record<string, string> => ({
  [DEPLOYMENT_TAGS.status]: deployment.status,
  [DEPLOYMENT_TAGS.endpoint]: deployment.endpointName,
  [DEPLOYMENT_TAGS.id]: deployment.deploymentId,
  [DEPLOYMENT_TAGS.message]: deployment.statusMessage ?? '',
  [DEPLOYMENT_TAGS.updatedAt]: String(deployment.updatedAt),
});

/** Ends the transaction's plan without writing: the model or version is gone, or shows a newer deployment. */
class LeaveAlone extends Error {}

/**
 * Mirrors a deployment's state onto its version's tags, in a registry transaction of its own (no registry
 * event: these tags are Cairn's bookkeeping, not a user's change). A version showing a newer deployment keeps
 * it; a deleted model or version is left alone. Both are decided inside the plan, so a conflicting change
 * re-decides them on the state it retries from.
 */
export const syncVersionTags = async (
  deps: { readonly registry: RegistryStore },
  deployment: Deployment,
  isNewer: (shownDeploymentId: string) => Promise<boolean>,
): Promise<void> => {
  try {
    await deps.registry.change(deployment.modelId, async (current) => {
      if (!current) throw new LeaveAlone();
      const version = await deps.registry.getVersion(current, deployment.version);
      if (!version || version.deleted) throw new LeaveAlone();
      const shown = version.tags[DEPLOYMENT_TAGS.id];
      if (shown && shown !== deployment.deploymentId && (await isNewer(shown))) throw new LeaveAlone();
      const { name: _, ...stored }: ModelVersion = version;
      return {
        versions: [{ version: { ...stored, tags: { ...stored.tags, ...deploymentTags(deployment) } }, isNew: false }],
        events: [],
        result: undefined,
      };
    });
  } catch (error) {
    if (!(error instanceof LeaveAlone)) throw error;
  }
};
