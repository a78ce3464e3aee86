/** After `fix`, scan reports what is left as manual and marked (the marker is fix's verdict). */
import { describe, expect, it } from 'vitest';
import { allRules } from '../../rules/index.js';
import { lintText } from '../../src/engine/linter.js';
import { fixText } from '../../src/fix/apply.js';

const filename = '/virtual/app/src/player.jsx';
const input = [
  "import React from 'react';",
  "const CLIENT_ID = 'abc';",
  'export function Player({ track, user }) {',
  '  const label = user ? user.name : "guest";',
  '  return (',
  '    <div>',
  '      <span>{label}</span>',
  '      <span>{track.title}</span>',
  '      <span>{track.user.username}</span>',
  '      <span>{track.genre}</span>',
  '      <span>{track.duration}</span>',
  '      <span>{track.playback_count}</span>',
  '      <a href={`https://api.soundcloud.com/tracks/${track.id}/comments?client_id=${CLIENT_ID}`}>comments</a>',
  '    </div>',
  '  );',
  '}',
  "export const api = 'https://api.soundcloud.com';",
  '',
].join('\n');

describe('marked findings', () => {
  it('a finding is suggest before fix, and manual + marked after (marker on the statement, 8+ lines above)', () => {
    const before = lintText({ text: input, filename, rules: allRules }).findings.filter((f) => f.ruleId === 'no-client-id-auth');
    expect(before).toHaveLength(1);
    expect(before[0]).toMatchObject({ fixKind: 'suggest' });
    expect(before[0]!.marked).toBeUndefined();
    const fixed = fixText(input, { filename, rules: allRules });
    expect(fixed.markers).toBe(1);
    // browser code: the marker explains the backend change, not a server-side client
    expect(fixed.text).toContain('browser code: ask your backend for an app token');
    const after = lintText({ text: fixed.text, filename, rules: allRules }).findings.filter((f) => f.ruleId === 'no-client-id-auth');
    expect(after).toHaveLength(1);
    expect(after[0]).toMatchObject({ fixKind: 'manual', marked: true });
    expect(after[0]!.line - fixed.text.split('\n').findIndex((l) => l.includes('sc-migrate(no-client-id-auth)'))).toBeGreaterThan(8);
  });

  it("another rule's marker does not mark a finding", () => {
    const text = `/* sc-migrate(no-private-api-v2): elsewhere */\nfetch('https://api.soundcloud.com/tracks?client_id=' + id);\n`;
    const f = lintText({ text, filename: '/virtual/server.js', rules: allRules }).findings.find((x) => x.ruleId === 'no-client-id-auth');
    expect(f?.fixKind).toBe('suggest');
    expect(f?.marked).toBeUndefined();
  });
});

describe('marker lines stay under 100 characters', () => {
  it('a long action loses its aside or trailing clause, and a deep statement its indentation, never the rule or the action', async () => {
    const { fitMarker } = await import('../../src/fix/markers.js');
    expect(fitMarker('send the token in the request header, not the URL', 40)).toBe('send the token in the request header');
    expect(fitMarker('send an app token (client credentials) in the header', 40)).toBe('send an app token in the header');
    expect(fitMarker('browser code: ask your backend for an app token', 40)).toBe('ask your backend for an app token');
    const deep = ' '.repeat(48);
    const text = [
      "const SC = require('soundcloud-sdk');",
      'module.exports = function (user) {',
      `${deep}SC.get('/me?oauth_token=' + user.token, function (err, me) { user.me = me; });`,
      '};',
      '',
    ].join('\n');
    const r = fixText(text, { filename: '/virtual/bot/server.js', rules: allRules });
    const markers = r.text.split('\n').filter((l) => l.includes('sc-migrate('));
    expect(markers.length).toBeGreaterThan(0);
    for (const l of markers) {
      expect(l.length).toBeLessThan(100);
      expect(l).toMatch(/sc-migrate\(no-query-oauth-token\): \w/);
    }
    // marked, so a second run adds nothing
    expect(fixText(r.text, { filename: '/virtual/bot/server.js', rules: allRules }).text).toBe(r.text);
  });
});
