/**
 * Injected faults: 5xx, 429 in each documented body shape, CDN HTML pages, slow answers
 * (timeouts) and held answers (a request kept open until the test releases it, to make a
 * renewal "in the middle" deterministic).
 */
import type http from 'node:http';
import type { Fault } from './types.js';
import { send, type Ctx, type MockState, type Role } from './state.js';

/** Requests kept open by 'hold' faults. */
export class Holds {
  #held: Array<() => void> = [];
  #waiters: Array<{ n: number; resolve: () => void }> = [];
  count = 0;

  /** Waits until released (or until the client goes away). */
  hold(req: http.IncomingMessage): Promise<void> {
    return new Promise<void>((resolve) => {
      const done = () => {
        req.socket.off('close', done);
        resolve();
      };
      req.socket.once('close', done);
      this.#held.push(done);
      this.count++;
      for (const w of this.#waiters.filter((x) => this.count >= x.n)) w.resolve();
      this.#waiters = this.#waiters.filter((x) => this.count < x.n);
    });
  }

  waitFor(n = 1): Promise<void> {
    if (this.count >= n) return Promise.resolve();
    return new Promise((resolve) => this.#waiters.push({ n, resolve }));
  }

  releaseAll(): void {
    const held = this.#held;
    this.#held = [];
    for (const done of held) done();
  }
}

export function matchFault(s: MockState, role: Role, path: string): (Fault & { left: number }) | undefined {
  for (const f of s.faults) {
    if (f.left <= 0) continue;
    const target = f.target ?? 'any';
    const isToken = path === '/oauth/token' || path === '/oauth2/token';
    const ok =
      target === 'any' ||
      (target === 'token' && isToken) ||
      (target === 'auth' && role === 'auth') ||
      (target === 'api' && role === 'api' && !isToken) ||
      (target === 'cdn' && role === 'cdn');
    if (!ok) continue;
    if (f.pathPrefix && !path.startsWith(f.pathPrefix)) continue;
    f.left--;
    return f;
  }
  return undefined;
}

/**
 * Applies the fault matching this request, if any. Returns true when the request was answered
 * (or dropped) by the fault; 'slow' and 'hold' delay it and return false so it is then served.
 */
export async function applyFault(s: MockState, c: Ctx): Promise<boolean> {
  const f = matchFault(s, c.role, c.path);
  if (!f) return false;
  if (f.type === 'slow' || f.type === 'hold') {
    if (f.type === 'hold') await s.holds.hold(c.req);
    else
      await new Promise<void>((resolve) => {
        const t = setTimeout(() => {
          s.timers.delete(t);
          resolve();
        }, f.delayMs ?? 5000);
        s.timers.add(t);
      });
    // A client that went away (timed out, killed) gets nothing, and nothing it asked for happens.
    return c.res.destroyed || c.req.socket.destroyed;
  }
  sendFault(s, c.res, f);
  return true;
}

function sendFault(s: MockState, res: http.ServerResponse, f: Fault) {
  const headers: Record<string, string> = {};
  if (f.retryAfter !== undefined) headers['retry-after'] = String(f.retryAfter);
  s.reject(`fault_${f.type}`);
  if (f.type === '5xx') return send(res, f.status ?? 503, { code: f.status ?? 503, message: 'Service Unavailable' }, headers);
  if (f.type === 'html') {
    const html = `<!DOCTYPE html><html><head><title>${f.status ?? 502} Bad Gateway</title></head><body><h1>502 Bad Gateway</h1><p>The CDN could not reach the origin.</p></body></html>`;
    return send(res, f.status ?? 502, html, { 'content-type': 'text/html; charset=utf-8' });
  }
  // 429 shapes
  const shape = f.shape ?? 'code-message';
  if (shape === 'text') return send(res, 429, 'Please slow down.', headers);
  if (shape === 'error') return send(res, 429, { error: 'rate_limit_exceeded' }, headers);
  if (shape === 'errors-meta')
    return send(
      res,
      429,
      {
        errors: [
          {
            meta: {
              rate_limit: { bucket: 'by-client', max_nr_of_requests: 15000, time_window: 'PT24H', group: 'plays' },
              remaining_requests: 0,
              reset_time: '2026/01/01 10:00:00 +0000',
            },
          },
        ],
      },
      headers,
    );
  return send(res, 429, { code: 429, message: 'rate_limit_exceeded' }, headers);
}
