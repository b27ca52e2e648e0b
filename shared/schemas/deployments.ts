import { z } from 'zod';
import { Bool, Int32, PageToken, repeated, RequiredString } from './common.js';

/** Request schemas of Cairn's deployment RPCs (functions/api/routes/deployments.ts); rules beyond shape live in the domain. */

export const SetDeploymentPolicyRequest = z.object({
  name: RequiredString,
  aliases: repeated(z.string()).optional(),
  stages: repeated(z.string()).optional(),
  endpoint_name: z.string().optional(),
  instance_type: z.string().optional(),
  initial_instance_count: Int32.optional(),
  image_uri: z.string().optional(),
  execution_role_arn: z.string().optional(),
  approval_required: Bool.optional(),
  rollback_alarms: repeated(z.string()).optional(),
  termination_wait_seconds: Int32.optional(),
});
export type SetDeploymentPolicyInput = z.output<typeof SetDeploymentPolicyRequest>;

export const ModelNameRequest = z.object({ name: RequiredString });
export const ListDeploymentsRequest = z.object({ name: RequiredString, max_results: Int32.optional(), page_token: PageToken });
export const DeploymentIdRequest = z.object({ deployment_id: RequiredString });
export const DecideDeploymentRequest = z.object({ deployment_id: RequiredString, comment: z.string().optional() });
