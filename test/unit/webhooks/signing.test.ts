import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { pythonJsonDumps } from '../../../shared/domain/kernel/python-json.js';
import { signPayload, verifySignature } from '../../../shared/domain/webhooks/signing.js';

// A vector produced with Python's hmac/hashlib/base64/json, as MLflow's `_generate_hmac_signature` does.
const SECRET = 'whsec_test';
const DELIVERY_ID = '5f2b9c3e-1a2b-4c3d-8e9f-0123456789ab';
const TIMESTAMP = '1767225600';
const PYTHON_BODY =
  '{"entity": "model_version", "action": "created", "timestamp": "2026-01-01T00:00:00+00:00", "data": {"name": "m", "version": "1", "note": "caf\\u00e9"}}';
const PYTHON_SIGNATURE = 'v1,jOLmijdgLt6exGig84e30vzhFiSqJajVG5ZqVKReRAY=';

describe('webhook signing', () => {
  it('signs as MLflow does: v1, then base64 HMAC-SHA256 of "<delivery id>.<timestamp>.<payload>"', () => {
    // Prepare
    const independent = `v1,${createHmac('sha256', SECRET).update(`${DELIVERY_ID}.${TIMESTAMP}.${PYTHON_BODY}`).digest('base64')}`;

    // Act
    const signature = signPayload(SECRET, DELIVERY_ID, TIMESTAMP, PYTHON_BODY);

    // Assess
    expect(signature).toBe(independent);
    expect(signature).toBe(PYTHON_SIGNATURE);
  });

  it('serializes a payload byte for byte as Python json.dumps does', () => {
    // Prepare
    const payload = {
      entity: 'model_version',
      action: 'created',
      timestamp: '2026-01-01T00:00:00+00:00',
      data: { name: 'm', version: '1', note: 'café' },
    };

    // Act
    const body = pythonJsonDumps(payload);

    // Assess
    expect(body).toBe(PYTHON_BODY);
  });

  it('verifies its own signature and refuses a changed body', () => {
    // Prepare
    const header = signPayload(SECRET, DELIVERY_ID, TIMESTAMP, PYTHON_BODY);

    // Act
    const genuine = verifySignature(SECRET, DELIVERY_ID, TIMESTAMP, PYTHON_BODY, header);
    const tampered = verifySignature(SECRET, DELIVERY_ID, TIMESTAMP, PYTHON_BODY.replace('"1"', '"2"'), header);

    // Assess
    expect(genuine).toBe(true);
    expect(tampered).toBe(false);
  });

  it('refuses a signature made with another secret or a missing header', () => {
    // Prepare
    const other = signPayload('another-secret', DELIVERY_ID, TIMESTAMP, PYTHON_BODY);

    // Act & Assess
    expect(verifySignature(SECRET, DELIVERY_ID, TIMESTAMP, PYTHON_BODY, other)).toBe(false);
    expect(verifySignature(SECRET, DELIVERY_ID, TIMESTAMP, PYTHON_BODY, undefined)).toBe(false);
  });
});
