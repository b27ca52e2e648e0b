import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Stack, type CfnElement } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import type { IRole } from 'aws-cdk-lib/aws-iam';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { createApp, type CairnApp } from '../../infra/create-app.js';

/**
 * A stand-in for the built UI (`npm run build:ui`): an index.html and one bundle, so the infra tests neither
 * wait for nor depend on the UI compiling. Removed when the test process exits.
 */
const makeUiFolder = (): string => {
  const folder = mkdtempSync(join(tmpdir(), 'cairn-ui-dist-'));
  mkdirSync(join(folder, 'assets'));
  writeFileSync(join(folder, 'index.html'), '<!doctype html><title>Cairn</title><script type="module" src="/assets/index.js"></script>');
  writeFileSync(join(folder, 'assets', 'index.js'), 'document.title = "Cairn";');
  process.on('exit', () => rmSync(folder, { recursive: true, force: true }));
  return folder;
};
export const UI_ASSET_PATH = makeUiFolder();

/** Context every infra test starts from: nothing is bundled (the entries need not build), the stand-in UI, settings on top. */
export const TEST_CONTEXT = { 'aws:cdk:bundling-stacks': [], uiAssetPath: UI_ASSET_PATH } as const;

export interface SynthesizedApp extends CairnApp {
  readonly data: Template;
  readonly api: Template;
}

/** Cairn's app as `cdk synth` builds it (cdk-nag not registered), with both templates. */
export const synthesize = (context: Record<string, unknown> = {}): SynthesizedApp => {
  const cairn = createApp({ nag: false, context: { ...TEST_CONTEXT, ...context } });
  return { ...cairn, data: Template.fromStack(cairn.dataStack), api: Template.fromStack(cairn.apiStack) };
};

export interface Statement {
  readonly Effect: string;
  readonly Action: string | string[];
  readonly Resource: unknown;
  readonly Condition?: Record<string, Record<string, unknown>>;
}

/** The statements of every policy attached to the function's role. */
export const statementsOf = (template: Template, fn: IFunction): Statement[] => {
  if (!fn.role) throw new Error(`${fn.node.path} has no role`);
  return roleStatements(template, fn.role);
};

/** The statements of every policy attached to a role of the template (a state machine's, SageMaker's...). */
export const roleStatements = (template: Template, role: IRole): Statement[] => {
  const element = role.node.defaultChild as CfnElement | undefined;
  if (!element) throw new Error(`${role.node.path} is not a role of this app`);
  const roleId = Stack.of(element).getLogicalId(element);
  const policies = template.findResources('AWS::IAM::Policy', { Properties: { Roles: [{ Ref: roleId }] } });
  return Object.values(policies).flatMap((policy) => policy.Properties.PolicyDocument.Statement as Statement[]);
};

export const actionsOf = (statement: Statement): string[] => [statement.Action].flat();

/** Every action the function may take. */
export const allActions = (statements: Statement[]): string[] => [...new Set(statements.flatMap(actionsOf))].sort();

/** The statements granting `action` (exactly as written, wildcards included). */
export const statementsFor = (statements: Statement[], action: string): Statement[] =>
  statements.filter((statement) => actionsOf(statement).includes(action));

/** A statement's resources as JSON strings, for matching on ARN shapes. */
export const resourcesOf = (statement: Statement): string[] => [statement.Resource].flat().map((resource) => JSON.stringify(resource));

/** The logical ID of a construct's CloudFormation resource. */
export const logicalId = (construct: { node: { defaultChild?: unknown } }): string => {
  const element = construct.node.defaultChild as CfnElement;
  return Stack.of(element).getLogicalId(element);
};
