import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { isIP } from 'node:net';
import { type AddressGuard, isForbiddenAddress, WebhookTargetRefused } from '../../shared/domain/webhooks/address-guard.js';
import type { HttpPost, HttpResponse } from '../../shared/domain/webhooks/ports.js';

/** A response body longer than this is cut: it is only recorded and shown by the test endpoint. */
export const MAX_RESPONSE_BODY_BYTES = 64 * 1024;

/**
 * POSTs with node:http(s) through the address guard: names are resolved by the guard's `lookup` (checked at
 * connect time), IP literals are checked before connecting. Redirects are never followed, since a redirect
 * to an internal address is the classic way around such a guard. One connection per request (no pooling).
 */
export const createGuardedHttpPost =
  (guard: AddressGuard, maxBodyBytes = MAX_RESPONSE_BODY_BYTES): HttpPost =>
  (url, body, headers, timeoutMs) =>
    new Promise<HttpResponse>((resolve, reject) => {
      const target = new URL(url);
      const host = target.hostname.replace(/^\[(.*)\]$/, '$1');
      if (isIP(host) && !guard.allowPrivateTargets && isForbiddenAddress(host)) {
        reject(new WebhookTargetRefused(host, host));
        return;
      }
      const send = target.protocol === 'https:' ? httpsRequest : target.protocol === 'http:' ? httpRequest : undefined;
      if (!send) {
        reject(new Error(`unsupported URL scheme ${target.protocol}`));
        return;
      }
      const request = send(
        target,
        {
          method: 'POST',
          headers: { ...headers, 'Content-Length': String(Buffer.byteLength(body)) },
          lookup: guard.lookup,
          agent: false,
        },
        (response) => {
          const chunks: Buffer[] = [];
          let size = 0;
          const finish = () => {
            clearTimeout(timer);
            resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks).toString('utf8') });
          };
          response.on('data', (chunk: Buffer) => {
            chunks.push(chunk.subarray(0, maxBodyBytes - size));
            size += chunk.length;
            if (size >= maxBodyBytes) {
              // Enough to record; do not let an endless body hold the dispatcher.
              finish();
              response.destroy();
            }
          });
          response.on('end', finish);
          response.on('error', (error) => {
            clearTimeout(timer);
            reject(error);
          });
        },
      );
      const timer = setTimeout(() => request.destroy(new Error(`no response within ${timeoutMs} ms`)), timeoutMs);
      request.on('error', (error) => {
        clearTimeout(timer);
        reject(error);
      });
      request.end(body);
    });
