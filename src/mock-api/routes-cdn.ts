/** The CDN origin: signed stream URLs; refuses an `Authorization` header (as the real CDN does). */
import { BODIES } from './data.js';
import type { Ctx, MockState } from './state.js';

export function handleCdn(s: MockState, { req, res, url }: Ctx) {
  const { stats, send, reject } = s;
  stats.cdnRequests++;
  if (req.headers.authorization) {
    reject('cdn_authorization_header');
    return send(res, 400, BODIES.cdnAuthorization);
  }
  const m = /^\/stream\/(\d+)\.mp3$/.exec(url.pathname);
  if (!m || !url.searchParams.get('Signature')) return send(res, 403, 'Access Denied');
  const audio = Buffer.concat([Buffer.from('ID3'), Buffer.alloc(61, Number(m[1]))]);
  res.writeHead(200, { 'content-type': 'audio/mpeg', 'content-length': audio.length });
  res.end(audio);
}
