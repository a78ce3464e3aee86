/**
 * `sc-migrate mock-api [--legacy] [--port N]`: starts the mock and prints its URLs and the env
 * vars that route an app to it. The CLI wiring lives in src/cli; this is the command body.
 */
import { fileURLToPath } from 'node:url';
import { startMockApi, DEFAULT_MOCK_CLIENT } from './server.js';

export async function runMockApiCommand(opts: {
  legacy?: boolean;
  port?: number;
  stdout?: NodeJS.WritableStream;
}): Promise<{ close(): Promise<void> }> {
  const out = opts.stdout ?? process.stdout;
  const mock = await startMockApi({ mode: opts.legacy ? 'legacy' : 'strict', port: opts.port });
  const preload = fileURLToPath(new URL('./preload.js', import.meta.url));
  const lines = [
    `sc-migrate mock SoundCloud API (${mock.mode} mode) listening on 127.0.0.1`,
    `  API:        ${mock.apiUrl}`,
    `  Auth:       ${mock.authUrl}`,
    `  CDN:        ${mock.cdnUrl}`,
    `  Plain http: ${mock.httpUrl}`,
    `  CA cert:    ${mock.caFile}`,
    `  Test client: client_id=${DEFAULT_MOCK_CLIENT.clientId} client_secret=${DEFAULT_MOCK_CLIENT.clientSecret}`,
    '',
    'Route an app to it (in another shell):',
    ...Object.entries(mock.env).map(([k, v]) => `  export ${k}=${v}`),
    `  node --import ${preload} your-app.js`,
    '',
  ];
  out.write(lines.join('\n') + '\n');
  return { close: () => mock.close() };
}
