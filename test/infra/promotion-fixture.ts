import { flattenReference } from '../../infra/nag.js';
import { logicalId, synthesize, type Statement, type SynthesizedApp } from './fixture.js';

// Setup shared by the promotion-*.test.ts files (definition, roles, functions): each synthesizes its own app, so
// they run in parallel, but from the same settings and with the same handles on the promotion workflow.

/** The settings the promotion tests synthesize with; the IAM and environment assertions expect the `mlflow` prefix. */
export const PROMOTION_CONTEXT = { artifactPrefix: 'mlflow', alarmEmail: 'ops@example.com' } as const;

export interface SynthesizedPromotion extends SynthesizedApp {
  readonly promotion: SynthesizedApp['apiStack']['service']['promotion'];
  readonly apiFunction: SynthesizedApp['apiStack']['service']['apiFunction'];
  /** How the template refers to the state machine's ARN (`{ Ref }`). */
  readonly machineArn: { Ref: string };
}

/** Cairn's app synthesized with `context`, with the promotion workflow, the API function and the state machine's ARN. */
export const synthesizePromotion = (context: Record<string, unknown> = PROMOTION_CONTEXT): SynthesizedPromotion => {
  const synthesized = synthesize(context);
  const { promotion, apiFunction } = synthesized.apiStack.service;
  return { ...synthesized, promotion, apiFunction, machineArn: { Ref: logicalId(promotion.stateMachine) } };
};

/** The ARNs a statement names, as cdk-nag flattens them (`arn:<AWS::Partition>:sagemaker:...`). */
export const flatResources = (statement: Statement) => [statement.Resource].flat().map(flattenReference);
