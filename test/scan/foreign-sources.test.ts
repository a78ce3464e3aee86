/**
 * CoffeeScript sources: the engine does not read them, so a scan warns about every one that names
 * SoundCloud (a skipped file with `soundcloud: true`, which every format prints), unless the
 * JavaScript compiled from it sits beside it and is scanned. Ignore rules apply as to any file.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { runScan } from '../../src/scan/run.js';
import { cleanup, tempDir, writeTree } from '../cli/helpers.js';

describe('CoffeeScript files that name SoundCloud', () => {
  const dir = tempDir('scm-foreign-');
  afterAll(cleanup);
  writeTree(dir, {
    // an Express app's OAuth helper written in CoffeeScript only
    'lib/soundcloud.coffee': "qs = require 'querystring'\nmodule.exports.me = (token, cb) ->\n  https.get \"https://api.soundcloud.com/me?oauth_token=#{token}\", cb\n",
    // literate CoffeeScript
    'docs/client.litcoffee': 'The client\n\n    SC.initialize client_id: CLIENT_ID\n',
    // compiled beside its source: the JavaScript is scanned, no warning
    'src/player.coffee': "SC.get '/tracks', (tracks) -> show tracks\n",
    'src/player.js': "SC.get('/tracks', function (tracks) { show(tracks); });\n",
    // no SoundCloud word: nothing to say
    'lib/util.coffee': 'module.exports = (a, b) -> a + b\n',
    // ignored by the project's ignore file
    'legacy/old.coffee': "SC.initialize client_id: 'abc'\n",
    '.sc-migrateignore': 'legacy/\n',
  });

  it('warns about each one not compiled beside it, and no other', async () => {
    const scan = await runScan({ cwd: dir, noConfig: true, jobs: 1 });
    const warned = scan.skipped.filter((s) => s.soundcloud).map((s) => s.file).sort();
    expect(warned).toEqual(['docs/client.litcoffee', 'lib/soundcloud.coffee']);
    expect(scan.skipped.find((s) => s.file === 'lib/soundcloud.coffee')?.reason).toMatch(/CoffeeScript/);
  });

  it('says why when a CoffeeScript file is named on the command line', async () => {
    const scan = await runScan({ cwd: dir, paths: ['lib/util.coffee'], noConfig: true, jobs: 1 });
    expect(scan.skipped).toEqual([expect.objectContaining({ file: 'lib/util.coffee', reason: expect.stringMatching(/CoffeeScript/) })]);
  });
});
