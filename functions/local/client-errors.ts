import type { EventEmitter } from 'node:events';
import type { Duplex } from 'node:stream';
import { errorCodeForHttpStatus } from '../../shared/errors/index.js';

/**
 * Requests Node's HTTP parser refuses before the app sees them (a control character in a header such as
 * `Content-Type`, headers too large, a malformed request line) get MLflow's JSON error form instead of
 * Node's empty-bodied 400, as any other error of the API does. In Lambda, API Gateway stands here.
 */
export const answerClientErrorsAsJson = (server: EventEmitter): void => {
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Duplex) => {
    if (!socket.writable || error.code === 'ECONNRESET') {
      socket.destroy();
      return;
    }
    const status = error.code === 'HPE_HEADER_OVERFLOW' ? 431 : error.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? 408 : 400;
    const body = JSON.stringify({
      error_code: errorCodeForHttpStatus(status),
      message: `Bad Request. The HTTP request could not be read (${error.code ?? 'malformed request'}).`,
    });
    socket.end(
      `HTTP/1.1 ${status} ${status === 431 ? 'Request Header Fields Too Large' : status === 408 ? 'Request Timeout' : 'Bad Request'}\r\n` +
        `Content-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
  });
};
