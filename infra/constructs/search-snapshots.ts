import { Duration } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { LOGGED_MODEL_DIRTY_ITEM } from '../../shared/data/logged-models/search-kind.js';
import { RUN_DIRTY_ITEM } from '../../shared/data/runs/search-kind.js';
import { TRACE_DIRTY_ITEM } from '../../shared/data/traces/search-kind.js';
import { ApiFunction } from './api-function.js';
import { acknowledgeIndexes } from './grants.js';
import { createStreamDeadLetterQueue, subscribeToInserts } from './table-inserts.js';

export interface SearchSnapshotsProps {
  /** The tracking table; it must have a stream (TrackingTable's has NEW_IMAGE). */
  readonly table: ITable;
  readonly entry: string;
  readonly environment: Record<string, string>;
  readonly logRetention?: RetentionDays;
}

/**
 * Rebuilds search snapshots in AWS (functions/search/lambda-snapshots.ts), of runs, trace infos and logged models: the
 * table's stream delivers each new dirty mark (an entity's first change since the last rebuild), and the
 * function folds an experiment's dirty entities into a new snapshot once due. Only dirty-mark INSERTs invoke it
 * (one filter on the mark types): a run logging metrics marks itself once per rebuild, not once per point.
 * A first rebuild of an experiment that predates snapshots reads every run (trace) once: minutes for 100,000
 * runs, hence the long timeout and the memory (the whole snapshot is held while rebuilt).
 */
export class SearchSnapshots extends Construct {
  readonly deadLetterQueue: Queue;
  readonly streamFunction: ApiFunction;

  constructor(scope: Construct, id: string, props: SearchSnapshotsProps) {
    super(scope, id);
    if (!props.table.tableStreamArn) throw new Error('SearchSnapshots: the table has no stream (import it with tableStreamArn)');
    this.deadLetterQueue = createStreamDeadLetterQueue(this, 'the search snapshot rebuilds');
    this.streamFunction = new ApiFunction(this, 'StreamHandler', {
      entry: props.entry,
      description: 'Cairn: rebuilds search snapshots of experiments as their runs change',
      serviceName: 'cairn-search',
      timeout: Duration.minutes(15),
      memorySize: 2048,
      environment: props.environment,
      ...(props.logRetention ? { logRetention: props.logRetention } : {}),
    });
    subscribeToInserts(this.streamFunction, props.table, {
      entity: [RUN_DIRTY_ITEM, TRACE_DIRTY_ITEM, LOGGED_MODEL_DIRTY_ITEM],
      deadLetterQueue: this.deadLetterQueue,
      batchSize: 1000,
      retryAttempts: 3,
      maxRecordAge: Duration.hours(6),
    });
    // Reads runs, marks, snapshot heads and parts (gsi2 for a first rebuild); writes parts and heads, deletes
    // marks and replaced parts.
    props.table.grantReadWriteData(this.streamFunction);
    if (this.streamFunction.role) acknowledgeIndexes(this.streamFunction.role, props.table);
  }
}
