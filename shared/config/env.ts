import { z } from 'zod';

/** Environment variable names, shared by the code and by infra (which sets them on the Lambdas). */
export const ENV = {
  tableName: 'CAIRN_TABLE_NAME',
  dynamoEndpoint: 'CAIRN_DYNAMODB_ENDPOINT',
  defaultArtifactRoot: 'CAIRN_DEFAULT_ARTIFACT_ROOT',
  searchIndexLagMs: 'CAIRN_SEARCH_INDEX_LAG_MS',
} as const;

const EnvSchema = z.object({
  [ENV.tableName]: z.string().min(3),
  [ENV.dynamoEndpoint]: z.string().url().optional(),
  [ENV.defaultArtifactRoot]: z.string().default('mlflow-artifacts:/'),
  [ENV.searchIndexLagMs]: z.coerce.number().int().min(0).default(5000),
});

export interface CairnSettings {
  tableName: string;
  dynamoEndpoint?: string;
  defaultArtifactRoot: string;
  searchIndexLagMs: number;
}

/** Reads and checks the settings once, at start-up: a wrong setting stops the process with its name. */
export const loadSettings = (env: NodeJS.ProcessEnv = process.env): CairnSettings => {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`invalid setting ${String(issue?.path[0])}: ${issue?.message}`);
  }
  return {
    tableName: parsed.data[ENV.tableName],
    dynamoEndpoint: parsed.data[ENV.dynamoEndpoint],
    defaultArtifactRoot: parsed.data[ENV.defaultArtifactRoot],
    searchIndexLagMs: parsed.data[ENV.searchIndexLagMs],
  };
};
