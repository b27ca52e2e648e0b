import { Stack, Validations } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';

/**
 * A resolved CloudFormation value as cdk-nag writes it into a finding ID (cdk-nag's flattenCfnReference):
 * `{"Fn::GetAtt": ["Table1", "Arn"]}` → `<Table1.Arn>`, `{"Ref": "X"}` → `<X>`, an import → its export name,
 * `Fn::Join` → its parts joined.
 */
export const flattenReference = (value: unknown): string => {
  if (value === undefined) return '';
  if (typeof value === 'string') return value.replace(/\$\{/g, '<').replace(/\}/g, '>');
  const node = value as Record<string, unknown>;
  const join = node['Fn::Join'] as [string, unknown[]] | undefined;
  if (join) return join[1].map(flattenReference).join(join[0]);
  if (node['Fn::Sub'] !== undefined) return flattenReference(node['Fn::Sub']);
  const getAtt = node['Fn::GetAtt'] as [unknown, unknown] | undefined;
  if (getAtt) return `<${flattenReference(getAtt[0])}.${flattenReference(getAtt[1])}>`;
  if (node['Fn::ImportValue'] !== undefined) return flattenReference(node['Fn::ImportValue']);
  if (node.Ref !== undefined) return `<${flattenReference(node.Ref)}>`;
  return JSON.stringify(value);
};

/**
 * Acknowledges cdk-nag's `AwsSolutions-IAM5[Resource::<arn><suffix>]` on `scope` (a role), e.g. a table's
 * `/index/*` or a bucket's `/<prefix>/*`. The finding names the ARN as it resolves when checked: `<Logical.Arn>`
 * within one stack, the export name once synthesis has turned a cross-stack reference into an import. So the
 * ID is recorded now, and again from a construct validation, which runs after references are resolved and
 * before validation plugins (cdk-nag) run.
 */
export const acknowledgeWildcardResource = (scope: IConstruct, arn: string, suffix: string, reason: string): void => {
  const acknowledge = () =>
    Validations.of(scope).acknowledge({
      id: `AwsSolutions-IAM5[Resource::${flattenReference(Stack.of(scope).resolve(arn))}${suffix}]`,
      reason,
    });
  acknowledge();
  scope.node.addValidation({
    validate: () => {
      acknowledge();
      return [];
    },
  });
};
