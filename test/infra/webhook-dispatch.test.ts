import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { REGISTRY_EVENT_ENTITY } from '../../shared/data/registry-events/codec.js';
import { TABLE } from '../../shared/data/table-definition.js';
import { logicalId, synthesize } from './fixture.js';

describe('webhook dispatch and alarms', () => {
  // Prepare (shared)
  const { api, apiStack, dataStack } = synthesize({ alarmEmail: 'ops@example.com' });
  const { dispatcher, apiFunction, authorizerFunction, promotion, searchSnapshots } = apiStack.service;
  const dlq = { 'Fn::GetAtt': [logicalId(dispatcher.deadLetterQueue), 'Arn'] };

  it('feeds the table stream to the stream dispatcher, failed batches to the dead-letter queue', () => {
    // Assess
    api.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      EventSourceArn: apiStack.resolve(dataStack.table.tableStreamArn),
      FunctionName: { Ref: logicalId(dispatcher.streamFunction) },
      StartingPosition: 'TRIM_HORIZON',
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      DestinationConfig: { OnFailure: { Destination: dlq } },
      MaximumRetryAttempts: Match.anyValue(),
    });
  });

  it('wakes the dispatcher only for new registry events', () => {
    // Prepare
    const mapping = Object.values(api.findResources('AWS::Lambda::EventSourceMapping')).find(
      (m) => JSON.stringify(m.Properties.FunctionName) === JSON.stringify({ Ref: logicalId(dispatcher.streamFunction) }),
    )?.Properties;

    // Act
    const patterns = mapping.FilterCriteria.Filters.map((f: { Pattern: string }) => JSON.parse(f.Pattern));

    // Assess
    expect(patterns).toEqual([
      { eventName: ['INSERT'], dynamodb: { NewImage: { [TABLE.entityTypeAttribute]: { S: [REGISTRY_EVENT_ENTITY] } } } },
    ]);
  });

  it('runs the scheduled dispatcher every 5 minutes, undeliverable events to the dead-letter queue', () => {
    // Assess
    api.hasResourceProperties('AWS::Events::Rule', {
      ScheduleExpression: 'rate(5 minutes)',
      Targets: [Match.objectLike({ Arn: { 'Fn::GetAtt': [logicalId(dispatcher.scheduledFunction), 'Arn'] }, DeadLetterConfig: { Arn: dlq } })],
    });
    api.hasResourceProperties('AWS::Lambda::Function', {
      Role: { 'Fn::GetAtt': [logicalId(dispatcher.scheduledFunction.role!), 'Arn'] },
      DeadLetterConfig: { TargetArn: dlq },
    });
  });

  it('keeps dead letters encrypted, for 14 days, reachable over TLS only', () => {
    // Assess
    api.hasResourceProperties('AWS::SQS::Queue', { SqsManagedSseEnabled: true, MessageRetentionPeriod: 14 * 24 * 3600 });
    api.hasResourceProperties('AWS::SQS::QueuePolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]),
      },
    });
  });

  describe('alarms', () => {
    const alarms = Object.values(api.findResources('AWS::CloudWatch::Alarm')).map((a) => a.Properties);
    const named = (metricName: string) => alarms.filter((a) => a.MetricName === metricName);

    it('watch API 5xx and p99 latency', () => {
      // Assess
      expect(named('5XXError')).toHaveLength(1);
      expect(named('Latency')).toEqual([expect.objectContaining({ ExtendedStatistic: 'p99' })]);
    });

    it('watch errors and throttles of every function', () => {
      // Prepare
      const functions = [
        apiFunction,
        authorizerFunction,
        dispatcher.streamFunction,
        dispatcher.scheduledFunction,
        promotion.stepFunction,
        promotion.starterFunction,
        searchSnapshots.streamFunction,
      ];

      // Assess
      for (const metric of ['Errors', 'Throttles']) {
        const watched = named(metric).map((a) => a.Dimensions[0].Value.Ref);
        expect(watched.sort()).toEqual(functions.map((fn) => logicalId(fn)).sort());
      }
    });

    it('watch the dead-letter queues (dispatch, promotion, search snapshots) and the stream iterator age', () => {
      // Assess
      expect(named('ApproximateNumberOfMessagesVisible').map((a) => a.Dimensions[0].Value['Fn::GetAtt'][0]).sort()).toEqual(
        [logicalId(dispatcher.deadLetterQueue), logicalId(promotion.deadLetterQueue), logicalId(searchSnapshots.deadLetterQueue)].sort(),
      );
      expect(named('IteratorAge')).toHaveLength(1);
    });

    it('notify an encrypted topic with an e-mail subscription', () => {
      // Assess
      api.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: Match.anyValue() });
      api.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', Endpoint: 'ops@example.com' });
      for (const alarm of alarms) {
        expect(alarm.AlarmActions).toHaveLength(1);
      }
    });
  });
});
