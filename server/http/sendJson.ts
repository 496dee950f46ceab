import type { ServerResponse } from 'node:http';

const JSON_HEADERS = { 'content-type': 'application/json; charset=utf-8' };

/** Answers `res` with `status` and `value` as JSON (headers set before are kept). */
export function sendJson(res: ServerResponse, status: number, value: unknown): void {
  res.writeHead(status, JSON_HEADERS);
  res.end(JSON.stringify(value));
}
