/**
 * Rule gates (RuleDefinition.gate): a candidate that names SoundCloud but holds none of the words
 * any enabled rule needs is not parsed. What a rule needs from another file (an imported base URL,
 * a config module's client_id) is still read there, and the file that has the words is analysed.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { allRules, rulesById } from '../../rules/index.js';
import { passesGates } from '../../src/engine/index.js';
import { topAlternatives } from '../../src/engine/create-rule.js';
import { runScan } from '../../src/scan/run.js';

const dir = mkdtempSync(join(tmpdir(), 'scm-gates-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const files: Record<string, string> = {
  // names SoundCloud, none of the rules' words: a component that shows a track
  'TrackCard.jsx': "import React from 'react';\nexport const TrackCard = ({ track }) => <a href={track.permalink_url}>{track.title} on SoundCloud</a>;\n",
  // has no word itself, imports a module that names SoundCloud (the prefilter's import closure)
  'player.js': "import { play } from './soundcloud/audio';\nexport const start = (t) => play(t.id);\n",
  'soundcloud/audio.js': "// SoundCloud audio element\nexport const play = (id) => document.getElementById('a' + id).play();\n",
  // the words: client_id in a config module, used by a request in another file
  'config.js': "export const CLIENT_ID = 'abc123';\nexport const API = 'https://api.soundcloud.com';\n",
  'api.js': "import { API, CLIENT_ID } from './config';\nexport const tracks = () => fetch(`${API}/tracks?client_id=${CLIENT_ID}`);\n",
  // a request built from a config module's fragment: no word here, the words are in the import
  'fetch-key.js': "import request from 'superagent';\nimport { ROOT, KEY } from './key';\nexport const get = (p) => request.get(`${ROOT}${p}?${KEY}`);\n",
  'key.js': "export const ROOT = 'https://api.soundcloud.com';\nexport const KEY = `client_id=${process.env.KEY}`;\n",
  // one page's classic scripts share their globals: the request script has no word, the page's
  // other script defines the key fragment it reads
  'page/index.html': '<script src="js/keys.js"></script>\n<script src="js/tracks.js"></script>\n',
  'page/js/keys.js': "var KEY_QUERY = '?client_id=' + 'abc123';\nvar API = 'https://api.soundcloud.com';\n",
  'page/js/tracks.js': "function load(done) {\n  $.getJSON(API + '/tracks' + KEY_QUERY, done);\n}\n",
  // unparseable but without any rule's word: nothing a rule could report is lost, nothing is listed
  'broken-soundcloud-label.js': 'const label = "SoundCloud" +;\n',
  // unparseable with a rule's word: still listed as skipped
  'broken-request.js': "fetch('https://api.soundcloud.com/tracks?client_id=' + ;\n",
};
for (const [name, text] of Object.entries(files)) {
  const p = join(dir, name);
  mkdirSync(dirname(p), { recursive: true });
  writeFileSync(p, text);
}

describe('rule gates', () => {
  it('passesGates: false only when every rule has a gate and the text matches none', () => {
    expect(passesGates(files['TrackCard.jsx']!, allRules)).toBe(false);
    expect(passesGates(files['api.js']!, allRules)).toBe(true);
    expect(passesGates('SC.get("/tracks")', [rulesById.get('no-deprecated-sdk')!])).toBe(true);
    expect(passesGates('const x = 1;', [{ ...allRules[0]!, meta: { ...allRules[0]!.meta, docs: { ...allRules[0]!.meta.docs, scMigrate: { ...allRules[0]!.meta.docs.scMigrate, gate: undefined } } } }])).toBe(true);
    // a gate with the g flag is made stateless: the same text answers the same twice
    for (const r of allRules) { const g = r.meta.docs.scMigrate.gate!; expect(g.global || g.sticky).toBe(false); }
  });

  it('passesGates: the plain words first, then the rest, gives the answer of one alternation of every gate', () => {
    expect(topAlternatives(String.raw`a|b(c|d)|[|]|\||e`)).toEqual(['a', 'b(c|d)', '[|]', String.raw`\|`, 'e']);
    const one = new RegExp(allRules.map((r) => `(?:${r.meta.docs.scMigrate.gate!.source})`).join('|'), 'i');
    // a text for each alternative (plain words and the others), and texts near misses of them
    const texts = [...Object.values(files), 'SC.connect()', 'sc = 1', 'isc', "import x from 'soundcloud'", "require( 'soundcloud')", '?client=1', 'a\\u0072',
      'OAuth abc', 'OAuth', 'Bearer x', '1-234-567-', 'import "http"', "'node:http'", 'API.SoundCloud', 'Client_ID', 'nothing here', 'connect', 'sdk', ''];
    for (const t of texts) expect(passesGates(t, allRules), t).toBe(one.test(t));
  });

  it('scan: files without the words are not analysed; findings through other files are kept', async () => {
    const scan = await runScan({ cwd: dir, noConfig: true, jobs: 1 });
    const found = scan.findings.map((f) => `${f.file}:${f.ruleId}`);
    expect(found).toContain('api.js:no-client-id-auth');
    expect(found).toContain('fetch-key.js:no-client-id-auth');
    expect(found).toContain('page/js/tracks.js:no-client-id-auth');
    // analysed: config.js, api.js, fetch-key.js, key.js, the page and its two scripts, and
    // broken-request.js (parsed, skipped); not TrackCard.jsx, player.js, soundcloud/audio.js,
    // broken-soundcloud-label.js
    expect(scan.stats.analysed).toBe(8);
    expect(scan.skipped.map((s) => s.file)).toEqual(['broken-request.js']);
  });
});
