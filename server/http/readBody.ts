import type { IncomingMessage } from 'node:http';
import { DEFAULT_TIMEOUTS } from '../config/index.ts';

/** Thrown when a request body is larger than the server accepts. */
export class BodyTooLargeError extends Error {
  override name = 'BodyTooLargeError';
}

/** Thrown when a request body has not arrived whole within the body timeout. */
export class BodyTimeoutError extends Error {
  override name = 'BodyTimeoutError';
}

/**
 * Reads a request body up to `limit` bytes and within `timeoutMs` of starting.
 * Larger bodies are refused as soon as they pass the limit, without buffering
 * the rest; a body still arriving after `timeoutMs` (a client trickling bytes
 * to hold the connection) is refused then, and reading stops.
 */
export function readBody(
  req: IncomingMessage,
  limit: number,
  timeoutMs: number = DEFAULT_TIMEOUTS.bodyMs,
): Promise<string> {
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > limit) {
    return Promise.reject(new BodyTooLargeError(`request body over ${limit} bytes`));
  }
  return new Promise<string>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const finish = (error: Error | null) => {
      clearTimeout(timer);
      req.off('data', onData).off('end', onEnd).off('error', finish).off('close', onClose);
      if (error === null) return resolve(Buffer.concat(chunks).toString('utf8'));
      req.pause();
      reject(error);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) finish(new BodyTooLargeError(`request body over ${limit} bytes`));
      else chunks.push(chunk);
    };
    const onEnd = () => finish(null);
    const onClose = () => finish(new Error('the client closed the connection mid-body'));
    const timer = setTimeout(
      () => finish(new BodyTimeoutError(`request body not received within ${timeoutMs} ms`)),
      timeoutMs,
    );
    req.on('data', onData).on('end', onEnd).on('error', finish).on('close', onClose);
  });
}
