import { InvokeEndpointCommand, SageMakerRuntimeClient } from '@aws-sdk/client-sagemaker-runtime';
import { SendTaskFailureCommand, SendTaskSuccessCommand, SFNClient } from '@aws-sdk/client-sfn';
import type { EndpointInvoker, TaskResponder } from '../../shared/domain/deployments/ports.js';

/** Approvals answer the waiting task through Step Functions' task-response API. */
export const createSfnTaskResponder = (client: SFNClient = new SFNClient({})): TaskResponder => ({
  async sendTaskSuccess(taskToken, output) {
    await client.send(new SendTaskSuccessCommand({ taskToken, output }));
  },
  async sendTaskFailure(taskToken, error, cause) {
    await client.send(new SendTaskFailureCommand({ taskToken, error, cause }));
  },
});

/**
 * InvokeEndpoint for scoring. A ModelError (the model container answered an error) is passed on with the
 * container's own status and message; other failures propagate.
 */
export const createEndpointInvoker = (client: SageMakerRuntimeClient = new SageMakerRuntimeClient({})): EndpointInvoker => ({
  async invoke(endpointName, body, contentType) {
    try {
      const result = await client.send(new InvokeEndpointCommand({ EndpointName: endpointName, Body: new TextEncoder().encode(body), ContentType: contentType, Accept: 'application/json' }));
      return { status: 200, body: new TextDecoder().decode(result.Body), contentType: result.ContentType ?? 'application/json' };
    } catch (error) {
      const failure = error as Error & { OriginalStatusCode?: number; OriginalMessage?: string; $metadata?: { httpStatusCode?: number } };
      if (failure.name === 'ModelError') {
        return { status: failure.OriginalStatusCode ?? 400, body: failure.OriginalMessage ?? failure.message, contentType: 'application/json' };
      }
      throw error;
    }
  },
});
