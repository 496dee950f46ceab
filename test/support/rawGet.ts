import { request } from 'node:http';

export interface RawResponse {
  status: number;
  body: string;
  headers: Record<string, unknown>;
}

/**
 * GETs `path` from `base` with exactly the headers given — a Host of another
 * name, a cookie, a browser's fetch metadata — which fetch would refuse to
 * send or would replace. Redirects are not followed.
 */
export function rawGet(
  base: string,
  path: string,
  headers: Record<string, string> = {},
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = request(new URL(path, base), { headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, headers: res.headers }));
    });
    req.on('error', reject);
    req.end();
  });
}
