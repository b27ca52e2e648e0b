import { FAKE_ACCOUNT, FAKE_REGION } from './sagemaker-fake-control.js';

export interface InvokeResult {
  status: number;
  body: string;
  contentType?: string;
}

/**
 * Rows in an MLflow scoring payload (dataframe_split, dataframe_records, instances, inputs, a bare array) or,
 * failing JSON, non-empty CSV lines: enough for a default that proves the payload arrived intact.
 */
export const countRows = (body: string): number => {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return body.split(/\r?\n/).filter((line) => line.trim() !== '').length;
  }
  if (Array.isArray(parsed)) return parsed.length;
  if (parsed !== null && typeof parsed === 'object') {
    const payload = parsed as Record<string, unknown>;
    const split = payload.dataframe_split as { data?: unknown } | undefined;
    for (const rows of [split?.data, payload.dataframe_records, payload.instances, payload.inputs]) {
      if (Array.isArray(rows)) return rows.length;
    }
  }
  return 1;
};

export const echoRowCount = (_endpointName: string, body: string): InvokeResult => ({
  status: 200,
  body: JSON.stringify({ predictions: countRows(body) }),
  contentType: 'application/json',
});

// The SDK fills `error.message` from `message` and the modeled `error.Message` member only from `Message`;
// the service sends `Message`, the handbook documents `message`, so both are sent.
export const runtimeError = (type: string, message: string, extra: Record<string, unknown> = {}) =>
  JSON.stringify({ __type: type, message, Message: message, ...extra });

export const endpointNotFound = (endpointName: string) =>
  runtimeError('ValidationError', `Endpoint ${endpointName} of account ${FAKE_ACCOUNT} not found.`);

/** What SageMaker wraps a container's 4xx in; the container's own status is always reported as 400 here. */
export const modelError = (endpointName: string, containerBody: string) => {
  const logGroup = `/aws/sagemaker/Endpoints/${endpointName}`;
  return runtimeError(
    'ModelError',
    `Received client error (400) from primary with message "${containerBody}". See https://${FAKE_REGION}.console.aws.amazon.com/cloudwatch/home?region=${FAKE_REGION}#logEventViewer:group=${logGroup} in account ${FAKE_ACCOUNT} for more information.`,
    {
      ErrorCode: 'CLIENT_ERROR_FROM_MODEL',
      OriginalStatusCode: 400,
      OriginalMessage: containerBody,
      LogStreamArn: `arn:aws:logs:${FAKE_REGION}:${FAKE_ACCOUNT}:log-group:${logGroup}`,
    },
  );
};
