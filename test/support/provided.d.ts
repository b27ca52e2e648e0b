// Values that test/support/global-setup.ts provides to every test file through `inject(...)`.
export {};

declare module 'vitest' {
  export interface ProvidedContext {
    /** DynamoDB Local (in-memory, -sharedDb) started once per run. */
    dynamoLocalEndpoint: string;
    /** dynoxide (in-memory) started once per run. */
    dynoxideEndpoint: string;
  }
}
