import type { Logger } from '@aws-lambda-powertools/logger';
import type { AuditSink } from '../../shared/domain/auth/audit.js';

/**
 * Audit entries in the Lambda's structured logs as well as in the table: one line each with the message
 * `cairn audit` and the entry under `audit`, so CloudWatch Logs Insights finds them
 * (`filter message = "cairn audit" and audit.decision = "denied"`) and they outlive the table's retention
 * when the log group keeps them longer. Refusals are warnings, permission changes info.
 */
export const AUDIT_LOG_MESSAGE = 'cairn audit';

export const powertoolsAuditSink = (logger: Pick<Logger, 'info' | 'warn'>): AuditSink => ({
  record(entry) {
    const extra = { audit: { ...entry } };
    if (entry.decision === 'allowed') logger.info(AUDIT_LOG_MESSAGE, extra);
    else logger.warn(AUDIT_LOG_MESSAGE, extra);
  },
});
