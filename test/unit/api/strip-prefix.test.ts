import { Hono } from 'hono';
import { handle } from 'hono/aws-lambda';
import { describe, expect, it } from 'vitest';
import { stripPathPrefix, withoutIamPrefix } from '../../../functions/api/strip-prefix.js';
import { fixtureEvent } from '../../support/fakes/auth.js';

/** A stand-in for the API that answers the path and query Hono routed on. */
const echo = new Hono({ strict: false }).all('*', (c) => {
  const url = new URL(c.req.url);
  return c.json({ method: c.req.method, path: url.pathname, query: url.search });
});
const serve = handle(echo);
const handler: typeof serve = (event, context) => serve(withoutIamPrefix(event), context);

type Result = { statusCode: number; body: string };

describe('the /iam prefix of the SigV4 resource tree', () => {
  it.each([
    ['/iam/api/2.0/mlflow/runs/get', '/api/2.0/mlflow/runs/get'],
    ['/iam', '/'],
    ['/iam/', '/'],
    ['/iam/iam/x', '/iam/x'],
    ['/api/2.0/mlflow/runs/get', '/api/2.0/mlflow/runs/get'],
    ['/iamx/api', '/iamx/api'],
    ['/api/iam/x', '/api/iam/x'],
    ['/IAM/api', '/IAM/api'],
    ['/', '/'],
  ])('maps %s to %s (whole leading segment only)', (path, expected) => {
    // Act & Assess
    expect(stripPathPrefix(path)).toBe(expected);
  });

  it('routes a REST (v1) SigV4 GET under /iam as the plain MLflow path, query string kept', async () => {
    // Prepare
    const event = await fixtureEvent('apigw-v1-iam-get-experiment-by-name');

    // Act
    const result = (await handler(event as never)) as Result;

    // Assess
    expect(result.statusCode).toBe(200);
    expect(JSON.parse(result.body)).toEqual({
      method: 'GET',
      path: '/api/2.0/mlflow/experiments/get-by-name',
      query: '?experiment_name=Default',
    });
  });

  it('routes the bare /iam resource to /', async () => {
    // Act
    const result = (await handler((await fixtureEvent('apigw-v1-iam-root')) as never)) as Result;

    // Assess
    expect(JSON.parse(result.body)).toMatchObject({ path: '/' });
  });

  it('leaves events of the token tree, and the event it was given, unchanged', async () => {
    // Prepare
    const plain = await fixtureEvent('apigw-v1-get-experiment-by-name');
    const iam = await fixtureEvent<{ path: string; requestContext: { path: string } }>('apigw-v1-iam-create-experiment');

    // Act
    const rewritten = withoutIamPrefix(iam);

    // Assess
    expect(withoutIamPrefix(plain)).toBe(plain);
    expect(rewritten.path).toBe('/api/2.0/mlflow/experiments/create');
    expect(rewritten.requestContext.path).toBe('/prod/iam/api/2.0/mlflow/experiments/create');
    expect(iam.path).toBe('/iam/api/2.0/mlflow/experiments/create');
  });

  it('strips rawPath of an HTTP API (v2) event the same way', async () => {
    // Prepare
    const event = await fixtureEvent<{ rawPath: string }>('apigw-v2-get-experiment');
    const underIam = { ...event, rawPath: `/iam${event.rawPath}` };

    // Act
    const result = (await handler(underIam as never)) as Result;

    // Assess
    expect(JSON.parse(result.body).path).toBe(event.rawPath);
  });
});
