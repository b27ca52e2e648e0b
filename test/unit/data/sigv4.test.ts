import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import { signJsonPost, type SigningCredentials } from '../../../shared/data/sigv4.js';

/** The SDK's own signer (a SignatureV4 of `@smithy/signature-v4`), as a DynamoDB client builds it. */
const sdkSigner = async (credentials: SigningCredentials, region: string) => {
  const client = new DynamoDBClient({ region, credentials, endpoint: 'https://dynamodb.eu-west-3.amazonaws.com' });
  const signer = await (client.config.signer as () => Promise<{ sign(request: object, options: object): Promise<{ headers: Record<string, string> }> }>)();
  client.destroy();
  return signer;
};

const headersOf = (host: string) => ({
  'content-type': 'application/x-amz-json-1.0',
  host,
  'x-amz-target': 'DynamoDB_20120810.TransactWriteItems',
});

describe('signJsonPost', () => {
  const cases: { name: string; credentials: SigningCredentials; region: string; host: string; body: string; date: Date }[] = [
    {
      name: 'static credentials, local endpoint with a port',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
      region: 'us-east-1',
      host: '127.0.0.1:8000',
      body: '{"TransactItems":[]}',
      date: new Date('2026-12-03T17:45:23.456Z'),
    },
    {
      name: 'temporary credentials (session token), AWS host, non-ASCII body',
      credentials: { accessKeyId: 'ASIAEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY', sessionToken: 'FwoGZXIvYXdzE//token+with/chars==' },
      region: 'eu-west-3',
      host: 'dynamodb.eu-west-3.amazonaws.com',
      body: JSON.stringify({ Key: { pk: { S: 'été ☃ \u{1F600}' } } }),
      date: new Date('2027-01-01T00:00:00.000Z'),
    },
  ];

  for (const { name, credentials, region, host, body, date } of cases) {
    it(`signs as the SDK's SignatureV4 does: ${name}`, async () => {
      const signer = await sdkSigner(credentials, region);
      const expected = await signer.sign(
        { method: 'POST', protocol: 'https:', hostname: host.split(':')[0], path: '/', query: {}, headers: headersOf(host), body },
        { signingDate: date, signingRegion: region, signingService: 'dynamodb' },
      );
      const signed = signJsonPost(headersOf(host), '/', body, credentials, { region, service: 'dynamodb' }, date);
      expect(signed.authorization).toBe(expected.headers.authorization);
      expect(signed['x-amz-date']).toBe(expected.headers['x-amz-date']);
      expect(signed['x-amz-security-token']).toBe(expected.headers['x-amz-security-token']);
    });
  }

  it('derives a new key when the day, the region or the secret changes', () => {
    const credentials = { accessKeyId: 'AKID', secretAccessKey: 'secret' };
    const sign = (c: SigningCredentials, region: string, date: string) =>
      signJsonPost(headersOf('h'), '/', '{}', c, { region, service: 'dynamodb' }, new Date(date)).authorization;
    const base = sign(credentials, 'us-east-1', '2026-12-03T10:00:00Z');
    expect(sign(credentials, 'us-east-1', '2026-12-04T10:00:00Z')).not.toBe(base);
    expect(sign(credentials, 'us-west-2', '2026-12-03T10:00:00Z')).not.toBe(base);
    expect(sign({ ...credentials, secretAccessKey: 'other' }, 'us-east-1', '2026-12-03T10:00:00Z')).not.toBe(base);
    expect(sign(credentials, 'us-east-1', '2026-12-03T10:00:00Z')).toBe(base);
  });
});
