/**
 * The conformance fixture format (`cairn-conformance/1`, see /work/shared/conformance/README.md section 2) as
 * zod schemas, and the loader. Exchanges, requests, responses and bodies are strict objects, so a fixture
 * that grows a field this replayer does not understand fails loudly instead of being half-replayed.
 */
import { readdir, readFile } from 'node:fs/promises';
import { basename, isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';

export const FIXTURE_FORMAT = 'cairn-conformance/1';

const JsonSchema = z.json();
/** Any JSON value. */
export type JsonValue = z.infer<typeof JsonSchema>;

export const BodySchema = z
  .union([
    z.strictObject({ json: JsonSchema }),
    z.strictObject({ text: z.string() }),
    z.strictObject({ base64: z.string() }),
    z.strictObject({ size: z.number().int().nonnegative(), sha256: z.string().regex(/^[0-9a-fA-F]{64}$/) }),
  ])
  .nullable();
/** `null` for no body, or exactly one of the forms `json`, `text`, `base64`, `size`+`sha256`. */
export type Body = z.infer<typeof BodySchema>;

export const RequestSchema = z.strictObject({
  method: z.string().min(1),
  path: z.string().startsWith('/'),
  query: z.array(z.tuple([z.string(), z.string()])).optional(),
  headers: z.record(z.string(), z.string()).optional(),
  /** A missing body is treated like `null`. */
  body: BodySchema.optional(),
});
export type FixtureRequest = z.infer<typeof RequestSchema>;

export const ResponseSchema = z.strictObject({
  status: z.number().int().min(100).max(599),
  content_type: z.string().optional(),
  error_code: z.string().optional(),
  headers: z.record(z.string(), z.string()).optional(),
  body: BodySchema.optional(),
  unordered: z.array(z.string()).optional(),
});
export type FixtureResponse = z.infer<typeof ResponseSchema>;

export const ExchangeSchema = z.strictObject({
  n: z.number().int().positive(),
  step: z.string(),
  parallel_group: z.number().int().optional(),
  /** auth.json only: the identity (a key of the fixture's `auth.identities`, or `admin`/`anonymous`) that sent it. */
  auth: z.string().optional(),
  request: RequestSchema,
  response: ResponseSchema,
  notes: z.array(z.string()).optional(),
  skip: z.string().optional(),
});
export type Exchange = z.infer<typeof ExchangeSchema>;

export const FixtureSchema = z
  .looseObject({
    format: z.literal(FIXTURE_FORMAT),
    flow: z.string().min(1),
    description: z.string().optional(),
    recorded_with: z.looseObject({ server: z.string().optional(), client: z.string().optional() }).optional(),
    /** Recorded value of every client-chosen timestamp placeholder, keyed `ts:N`. */
    client_values: z.record(z.string().regex(/^ts:[A-Za-z0-9]+$/), z.number()).default({}),
    endpoints: z.array(z.looseObject({ method: z.string(), route: z.string(), count: z.number() })).optional(),
    exchanges: z.array(ExchangeSchema),
  })
  .superRefine((fixture, ctx) => {
    const seen = new Set<number>();
    for (const exchange of fixture.exchanges) {
      if (seen.has(exchange.n)) ctx.addIssue({ code: 'custom', message: `duplicate exchange n=${exchange.n}` });
      seen.add(exchange.n);
    }
  });
export type Fixture = z.infer<typeof FixtureSchema>;

/** A fixture read from disk, with the file it came from. */
export type LoadedFixture = Fixture & { file: string };

/** The repository root (this file lives in test/support/conformance/). */
export const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/** The shared fixtures folder, `../shared/conformance` relative to the repository root. */
export const DEFAULT_FIXTURE_DIR = resolve(REPO_ROOT, '../shared/conformance');

/** Validates parsed JSON as a fixture; `source` only names it in the error message. */
export function parseFixture(data: unknown, source = 'fixture'): Fixture {
  const result = FixtureSchema.safeParse(data);
  if (!result.success) {
    const issues = result.error.issues
      .slice(0, 10)
      .map((issue) => `  ${issue.path.join('.') || '(root)'}: ${issue.message}`)
      .join('\n');
    throw new Error(`${source} is not a valid ${FIXTURE_FORMAT} fixture:\n${issues}`);
  }
  return result.data;
}

/** Reads and validates one fixture file. A relative path is resolved against the repository root. */
export async function loadFixture(file: string): Promise<LoadedFixture> {
  const path = isAbsolute(file) ? file : resolve(REPO_ROOT, file);
  const text = await readFile(path, 'utf8');
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new Error(`${path} is not JSON: ${(error as Error).message}`);
  }
  return { ...parseFixture(data, basename(path)), file: path };
}

/** A fixture recorded against MLflow's basic-auth app: it replays only against `npm start -- --auth` (issue 13). */
export const isAuthFixture = (fixture: Fixture): boolean => 'auth' in fixture && fixture.auth !== undefined;

/** The fixtures of the tracking server without authentication: every one but the auth app's. */
export async function loadTrackingFixtures(dir: string = DEFAULT_FIXTURE_DIR): Promise<LoadedFixture[]> {
  return (await loadFixtures(dir)).filter((fixture) => !isAuthFixture(fixture));
}

/**
 * Every `*.json` fixture of `dir` (default `../shared/conformance`; a relative `dir` is resolved against
 * the repository root), sorted by file name.
 */
export async function loadFixtures(dir: string = DEFAULT_FIXTURE_DIR): Promise<LoadedFixture[]> {
  const folder = isAbsolute(dir) ? dir : resolve(REPO_ROOT, dir);
  const names = (await readdir(folder)).filter((name) => name.endsWith('.json')).sort();
  return Promise.all(names.map((name) => loadFixture(join(folder, name))));
}
