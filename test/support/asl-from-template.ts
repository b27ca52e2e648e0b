import type { Template } from 'aws-cdk-lib/assertions';

/** The account, region and partition the placeholders use. */
export const PLACEHOLDER_ACCOUNT = '123456789012';
export const PLACEHOLDER_REGION = 'us-east-1';
export const PLACEHOLDER_PARTITION = 'aws';

const PSEUDO_PARAMETERS: Record<string, string> = {
  'AWS::AccountId': PLACEHOLDER_ACCOUNT,
  'AWS::Region': PLACEHOLDER_REGION,
  'AWS::Partition': PLACEHOLDER_PARTITION,
  'AWS::URLSuffix': 'amazonaws.com',
  'AWS::StackName': 'Stack',
  'AWS::NoValue': '',
};

type Resources = Record<string, { Type: string; Properties?: Record<string, unknown> }>;

/** A plausible ARN for `Fn::GetAtt [id, 'Arn']` of a resource of `type`; Lambda functions get `function:<id>`. */
const arnOf = (type: string, id: string): string => {
  const at = `${PLACEHOLDER_REGION}:${PLACEHOLDER_ACCOUNT}`;
  switch (type) {
    case 'AWS::Lambda::Function':
      return `arn:aws:lambda:${at}:function:${id}`;
    case 'AWS::IAM::Role':
      return `arn:aws:iam::${PLACEHOLDER_ACCOUNT}:role/${id}`;
    case 'AWS::SQS::Queue':
      return `arn:aws:sqs:${at}:${id}`;
    case 'AWS::SNS::Topic':
      return `arn:aws:sns:${at}:${id}`;
    case 'AWS::S3::Bucket':
      return `arn:aws:s3:::${id.toLowerCase()}`;
    case 'AWS::DynamoDB::Table':
      return `arn:aws:dynamodb:${at}:table/${id}`;
    case 'AWS::Logs::LogGroup':
      return `arn:aws:logs:${at}:log-group:${id}:*`;
    case 'AWS::StepFunctions::StateMachine':
      return `arn:aws:states:${at}:stateMachine:${id}`;
    case 'AWS::SecretsManager::Secret':
      return `arn:aws:secretsmanager:${at}:secret:${id}-AbCdEf`;
    default: {
      const service = type.split('::')[1]?.toLowerCase() ?? 'unknown';
      return `arn:aws:${service}:${at}:${id}`;
    }
  }
};

/**
 * Resolves the CloudFormation intrinsics CDK writes into a state machine definition, with placeholders:
 * `Ref` to the logical ID (pseudo parameters to us-east-1, 123456789012, aws...), `Fn::GetAtt [X, 'Arn']` to a
 * plausible ARN of X's type (`arn:aws:lambda:us-east-1:123456789012:function:X` for a function), other attributes
 * to `X.Attr`, `Fn::ImportValue` to its export name, and `Fn::Join` / `Fn::Sub` to the joined text.
 */
export const resolveIntrinsics = (value: unknown, resources: Resources): unknown => {
  if (Array.isArray(value)) return value.map((item) => resolveIntrinsics(item, resources));
  if (value === null || typeof value !== 'object') return value;
  const node = value as Record<string, unknown>;
  const keys = Object.keys(node);
  const text = (part: unknown) => String(resolveIntrinsics(part, resources));
  if (keys.length === 1) {
    const [key] = keys as [string];
    const argument = node[key];
    switch (key) {
      case 'Ref': {
        const name = text(argument);
        return PSEUDO_PARAMETERS[name] ?? name;
      }
      case 'Fn::GetAtt': {
        const [id, attribute] = (typeof argument === 'string' ? argument.split('.') : (argument as unknown[])).map(text) as [string, string];
        const resource = resources[id];
        if (!resource) throw new Error(`Fn::GetAtt of unknown resource ${id}`);
        return attribute === 'Arn' ? arnOf(resource.Type, id) : `${id}.${attribute}`;
      }
      case 'Fn::Join': {
        const [separator, parts] = argument as [string, unknown[]];
        return parts.map(text).join(separator);
      }
      case 'Fn::ImportValue':
        return text(argument);
      case 'Fn::Sub': {
        const [template, variables] = (typeof argument === 'string' ? [argument, {}] : argument) as [string, Record<string, unknown>];
        return template.replace(/\$\{([^}]+)\}/g, (_match, name: string) => {
          if (name in variables) return text(variables[name]);
          const [id, attribute] = name.split('.');
          return text(attribute ? { 'Fn::GetAtt': [id, attribute] } : { Ref: id });
        });
      }
      default:
        if (key.startsWith('Fn::')) throw new Error(`unsupported intrinsic ${key}`);
    }
  }
  return Object.fromEntries(keys.map((key) => [key, resolveIntrinsics(node[key], resources)]));
};

/**
 * The Amazon States Language definition of the template's state machine, parsed, with every intrinsic in its
 * `DefinitionString` resolved to a placeholder (resolveIntrinsics). Name the state machine's logical ID when the
 * template has more than one.
 */
export const stateMachineDefinition = (template: Template, logicalId?: string): Record<string, unknown> => {
  const resources = (template.toJSON().Resources ?? {}) as Resources;
  const machines = Object.entries(resources).filter(
    ([id, resource]) => resource.Type === 'AWS::StepFunctions::StateMachine' && (logicalId === undefined || id === logicalId),
  );
  if (machines.length !== 1) {
    throw new Error(`expected one state machine${logicalId ? ` ${logicalId}` : ''}, found ${machines.length}`);
  }
  const definition = resolveIntrinsics(machines[0]?.[1].Properties?.DefinitionString, resources);
  if (typeof definition !== 'string') throw new Error('the state machine has no DefinitionString');
  return JSON.parse(definition) as Record<string, unknown>;
};
