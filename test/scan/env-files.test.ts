/**
 * Env files as a project fact (engine/env-files.ts) through the whole scan: discovery lists the
 * env files it may read (not ignored ones), the prefilter makes a file that only reads such a
 * variable a candidate, and the value resolves the request's URL, on one thread and in workers.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { discoverFiles } from '../../src/scan/discover.js';
import { runScan } from '../../src/scan/run.js';
import { writeTree } from '../cli/helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'scm-env-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const files: Record<string, string> = {
  '.gitignore': '.env\n',
  // ignored: a developer's own settings are not the project's
  '.env': 'LOCAL_API=https://api.soundcloud.com\n',
  'server/.env.example': 'PORT=3000\nTRACKS_BASE=https://api.soundcloud.com\nTRACKS_KEY=\n',
  'server/src/client.js': "const axios = require('axios');\nmodule.exports = axios.create({ baseURL: process.env.TRACKS_BASE });\n",
  'server/src/search.js': "const client = require('./client');\nmodule.exports = (q) => client.get('/tracks', { params: { q, client_id: process.env.TRACKS_KEY } });\n",
  // the same name, outside the folder of the env file: not SoundCloud's
  // (a query object: a `?client_id=` written into an unknown URL counts anyway in a SoundCloud project)
  'web/feed.js': "import axios from 'axios';\nexport const feed = () => axios.get(process.env.TRACKS_BASE + '/items', { params: { client_id: process.env.TRACKS_KEY } });\n",
  'local.js': "import axios from 'axios';\nexport const x = () => axios.get(process.env.LOCAL_API + '/tracks', { params: { client_id: process.env.TRACKS_KEY } });\n",
};
writeTree(dir, files);

describe('env files in a scan', () => {
  it('discovery lists the env files it does not ignore', () => {
    expect(discoverFiles({ cwd: dir }).envFiles).toEqual([join(dir, 'server', '.env.example')]);
  });

  it.each([1, 2])('a request on a base read from the environment is SoundCloud\'s (jobs %i)', async (jobs) => {
    const scan = await runScan({ cwd: dir, noConfig: true, jobs, workerThreshold: 0 });
    expect(scan.findings.map((f) => `${f.file}:${f.line} ${f.ruleId}`)).toEqual(['server/src/search.js:2 no-client-id-auth']);
  });
});
