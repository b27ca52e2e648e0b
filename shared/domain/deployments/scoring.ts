import { invalidParameter, notFound } from '../../errors/index.js';
import { requireModel } from '../registry/registered-models.js';
import { modelVersionNotFound } from '../registry/validation.js';
import { checkPayloadAgainstSignature, parseMlModel, parseScoringPayload, type ModelSignature } from '../scoring/index.js';
import { DEPLOYMENT_TAGS } from './entities.js';
import type { DeploymentPorts } from './ports.js';

/** The one form scoring takes; the authorization check reads the model's name with it too (auth/resources.ts). */
export const MODEL_URI = /^models:\/([^@]+)@([\w-]+)$/;

/** Signatures by version location: an MLmodel never changes once the version exists. */
const signatures = new Map<string, ModelSignature | undefined>();

/**
 * Scores `models:/<name>@<alias>` on the endpoint its version is in service on. The payload is read and checked
 * against the version's signature first, so a malformed request is a 400 from Cairn, not a model-side error.
 */
export const scoreDeployedModel = async (
  deps: Pick<DeploymentPorts, 'registry' | 'deployments' | 'files' | 'endpoints'>,
  modelUri: string, body: unknown) => {
  const match = MODEL_URI.exec(modelUri);
  if (!match) throw invalidParameter(`Invalid model URI '${modelUri}': expected models:/<name>@<alias>.`);
  const [, name = '', alias = ''] = match;
  const model = await requireModel(deps, name);
  const number = model.aliases[alias];
  if (number === undefined) throw notFound(`Registered model alias ${alias} not found.`);
  const version = await deps.registry.getVersion(model, number);
  if (!version || version.deleted) throw modelVersionNotFound(name, number);
  // The tags only point at the deployment; its own record decides (tags are writable by any client).
  const shown = version.tags[DEPLOYMENT_TAGS.id];
  const deployment = shown ? await deps.deployments.get(shown) : undefined;
  const serving = deployment && deployment.modelId === model.modelId && deployment.version === number && deployment.status === 'IN_SERVICE';
  const status = deployment?.status ?? version.tags[DEPLOYMENT_TAGS.status];
  const endpoint = serving ? deployment.endpointName : undefined;
  if (!endpoint || !deps.endpoints) {
    throw invalidParameter(
      `Version ${number} of ${name} (alias '${alias}') is not in service on an endpoint (deployment status: ${status ?? 'none'}).`,
    );
  }
  const payload = parseScoringPayload(body);
  checkPayloadAgainstSignature(payload, await signatureOf(deps, version.storageLocation ?? version.source));
  return deps.endpoints.invoke(endpoint, JSON.stringify(body), 'application/json');
};

const signatureOf = async (deps: Pick<DeploymentPorts, 'files'>, location: string) => {
  if (signatures.has(location)) return signatures.get(location);
  const text = await deps.files?.readText(location, 'MLmodel');
  const signature = text === undefined ? undefined : parseMlModel(text).signature;
  signatures.set(location, signature);
  return signature;
};
