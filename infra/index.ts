/** Cairn as a construct library: `new Cairn(stack, 'Cairn', props)`, or the pieces and stacks on their own. */
export { Cairn, type CairnProps } from './constructs/cairn.js';
export { CairnData, type CairnDataProps } from './constructs/cairn-data.js';
export { CairnService, type CairnServiceProps, WEBHOOK_SECRET_ARN_ENV } from './constructs/cairn-service.js';
export { TrackingTable, type TrackingTableProps } from './constructs/tracking-table.js';
export { ArtifactBucket, type ArtifactBucketProps } from './constructs/artifact-bucket.js';
export { WebhookSecretKey, type WebhookSecretKeyProps } from './constructs/webhook-secret-key.js';
export { ApiFunction, type ApiFunctionProps } from './constructs/api-function.js';
export { CairnRestApi, type CairnRestApiProps } from './constructs/rest-api.js';
export { WebhookDispatcher, type WebhookDispatcherProps } from './constructs/webhook-dispatcher.js';
export { PromotionWorkflow, type PromotionWorkflowProps, SAGEMAKER_RESOURCE_PREFIX } from './constructs/promotion-workflow.js';
export { SageMakerExecutionRole, type SageMakerExecutionRoleProps } from './constructs/sagemaker-execution-role.js';
export { CairnAlarms, type CairnAlarmsProps } from './constructs/alarms.js';
export { DataStack, type DataStackProps } from './stacks/data-stack.js';
export { ApiStack, type ApiStackProps } from './stacks/api-stack.js';
export { createApp, type CreateAppOptions } from './create-app.js';
