import { RemovalPolicy, Validations } from 'aws-cdk-lib';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';

export interface AdminSecretProps {
  /**
   * The first admin's user name.
   * @default 'admin'
   */
  readonly username?: string;
  /**
   * Keep the secret when the stack is deleted (the admin it created stays in the retained table).
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
 * The first admin's credentials, `{"username": ..., "password": ...}`, with a password Secrets Manager generates
 * at deployment (32 letters and digits), so no deployment starts with a well-known password. The API function
 * gets the ARN, never the value: at cold start it reads the secret and creates that user as an admin when no
 * user holds the name (shared/domain/auth/bootstrap.ts). Read it once to sign in:
 *
 *   aws secretsmanager get-secret-value --secret-id <AdminSecretArn> --query SecretString --output text
 */
export class AdminSecret extends Construct {
  readonly secret: Secret;

  constructor(scope: Construct, id: string, props: AdminSecretProps = {}) {
    super(scope, id);
    this.secret = new Secret(this, 'Secret', {
      description: "Cairn: the first admin's user name and generated password (created at the API's first start)",
      generateSecretString: {
        secretStringTemplate: JSON.stringify({ username: props.username ?? 'admin' }),
        generateStringKey: 'password',
        passwordLength: 32,
        // Letters and digits only: the password goes into shells and Basic credentials unquoted.
        excludePunctuation: true,
        includeSpace: false,
      },
      ...(props.encryptionKey ? { encryptionKey: props.encryptionKey } : {}),
      removalPolicy: (props.retain ?? true) ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });
    Validations.of(this.secret).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason:
        "The first admin's initial password: it is used once, to create the user, and the user's password then lives " +
        '(hashed) in the table, changed through users/update-password. Rotating the secret would change nothing that signs in.',
    });
  }
}
