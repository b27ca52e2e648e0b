import { z } from 'zod';
import { registeredModelNotFound } from '../domain/registry/validation.js';
import { LIMITS } from '../domain/tracking/validation.js';
import { notFound } from '../errors/index.js';
import { Bool, Int32, limitedText, PageToken, repeated, requiredKey } from './common.js';

/** Request schemas of Cairn's deployment RPCs (functions/api/routes/deployments.ts); rules beyond shape live in the domain. */

/** A registered model to look up: a name too long for a key names no model. */
const ModelRef = requiredKey(registeredModelNotFound);
/** A deployment to look up; the message is the use case's own (shared/domain/deployments/use-cases.ts). */
const DeploymentRef = requiredKey((id) => notFound(`Deployment '${id}' does not exist.`));
/** Policy fields have their own rules in the domain; these bounds keep a huge value from being stored or echoed. */
const Field = limitedText('Deployment policy field', 2048);

export const SetDeploymentPolicyRequest = z.object({
  name: ModelRef,
  aliases: repeated(Field).pipe(z.array(z.string()).max(100)).optional(),
  stages: repeated(Field).pipe(z.array(z.string()).max(10)).optional(),
  endpoint_name: Field.optional(),
  instance_type: Field.optional(),
  initial_instance_count: Int32.optional(),
  image_uri: Field.optional(),
  execution_role_arn: Field.optional(),
  approval_required: Bool.optional(),
  rollback_alarms: repeated(Field).optional(),
  termination_wait_seconds: Int32.optional(),
});
export type SetDeploymentPolicyInput = z.output<typeof SetDeploymentPolicyRequest>;

export const ModelNameRequest = z.object({ name: ModelRef });
export const ListDeploymentsRequest = z.object({ name: ModelRef, max_results: Int32.optional(), page_token: PageToken });
export const DeploymentIdRequest = z.object({ deployment_id: DeploymentRef });
export const DecideDeploymentRequest = z.object({
  deployment_id: DeploymentRef,
  comment: limitedText('Comment', LIMITS.deploymentCommentLength).optional(),
});
