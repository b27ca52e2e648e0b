import { RemovalPolicy, Validations } from 'aws-cdk-lib';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';

export interface WebhookSecretKeyProps {
  /**
   * Keep the secret when the stack is deleted. Losing it makes every stored webhook secret unreadable.
   * @default true
   */
  readonly retain?: boolean;
  /**
   * A customer-managed KMS key for the secret.
   * @default - the AWS-managed key `aws/secretsmanager`
   */
  readonly encryptionKey?: IKey;
}

/**
 * Secrets Manager's punctuation set minus `+` and `/`: what is left of the generator's alphabet is exactly
 * base64's (A-Z, a-z, 0-9, +, /).
 */
const NOT_BASE64 = '!"#$%&\'()*,-.:;<=>?@[\\]^_`{|}~';

/**
 * The AES-256-GCM key that encrypts webhook signing secrets at rest (CAIRN_WEBHOOK_SECRET_KEY's value in AWS).
 * CloudFormation cannot produce random bytes, so Secrets Manager generates 43 characters of the base64 alphabet:
 * 258 random bits, which decode (unpadded) to exactly 32 bytes, as `Buffer.from(value, 'base64')` reads them.
 * The functions get the ARN, never the value: they read it once per cold start with GetSecretValue.
 */
export class WebhookSecretKey extends Construct {
  readonly secret: Secret;

  constructor(scope: Construct, id: string, props: WebhookSecretKeyProps = {}) {
    super(scope, id);
    this.secret = new Secret(this, 'Secret', {
      description: 'Cairn: base64 of the 32-byte key that encrypts stored webhook secrets',
      generateSecretString: {
        passwordLength: 43,
        excludeCharacters: NOT_BASE64,
        includeSpace: false,
        requireEachIncludedType: false,
      },
      ...(props.encryptionKey ? { encryptionKey: props.encryptionKey } : {}),
      removalPolicy: (props.retain ?? true) ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });
    Validations.of(this.secret).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason:
        'A data-encryption key, not a credential: rotating it would leave every stored webhook secret encrypted under ' +
        'the old key. Re-keying needs the application to re-encrypt (key versions), which Cairn does not do yet.',
    });
  }
}
