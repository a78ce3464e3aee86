/** A rule owns its fix: rules/<id>/fix.ts, and the registry and transform entries follow the rule folders. */
import { describe, expect, it } from 'vitest';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { allRules } from '../../rules/index.js';
import { ruleId } from '../../src/engine/create-rule.js';
import type { Finding } from '../../src/engine/types.js';
import { fixesById, ruleFixes } from '../../src/fix/providers.js';
import { markerText } from '../../src/fix/markers.js';
import { transformEntry } from '../../src/fix/transform.js';

const ROOT = resolve(import.meta.dirname, '../..');
const folders = readdirSync(join(ROOT, 'rules'), { withFileTypes: true })
  .filter((e) => e.isDirectory() && existsSync(join(ROOT, 'rules', e.name, 'rule.ts'))).map((e) => e.name).sort();

describe('a rule owns its fix', () => {
  it('every rule folder with fix kind auto or suggest has a fix.ts', () => {
    for (const r of allRules) {
      const id = ruleId(r);
      if (['auto', 'suggest'].includes(r.meta.docs.scMigrate.fixKind)) expect(existsSync(join(ROOT, 'rules', id, 'fix.ts')), id).toBe(true);
    }
  });
  it('the registry lists every rule folder with a fix.ts, under its folder name', () => {
    const withFix = folders.filter((id) => existsSync(join(ROOT, 'rules', id, 'fix.ts')));
    expect(ruleFixes.map((f) => f.id).sort()).toEqual(withFix);
    // every rule has a marker recipe today
    expect(withFix).toEqual(folders);
    for (const id of withFix) expect(readFileSync(join(ROOT, 'rules', id, 'fix.ts'), 'utf8')).toContain(`id: '${id}'`);
  });
  it('transforms/<id>.ts exists for each rule folder with a fix, and only for those', () => {
    const entries = readdirSync(join(ROOT, 'transforms')).filter((f) => f.endsWith('.ts') && f !== 'all.ts').map((f) => f.replace(/\.ts$/, '')).sort();
    expect(entries).toEqual(ruleFixes.map((f) => f.id).sort());
    // generated from the rule folders: npx tsx scripts/gen-transforms.ts
    for (const id of [...entries, 'all']) expect(readFileSync(join(ROOT, 'transforms', `${id}.ts`), 'utf8'), id).toBe(transformEntry(id));
  });
});

describe('marker recipes', () => {
  const variants = allRules.flatMap((r) => Object.keys(r.meta.messages).flatMap((messageId) => [false, true].flatMap((browser) => [false, true].map((readsRedirect) => ({ id: ruleId(r), messageId, browser, readsRedirect })))));
  const finding = (id: string, messageId: string): Finding => ({ ruleId: id, messageId, message: 'm', line: 1, column: 1, severity: 'error', fixKind: 'manual' } as unknown as Finding);
  it('name the rule and one action, on a line under 100 characters (with 8 spaces of indentation)', () => {
    for (const v of variants) {
      const body = markerText(v.id, finding(v.id, v.messageId), { file: v.browser ? '/a/page.jsx' : '/a/server.js', browser: v.browser, readsRedirect: v.readsRedirect });
      expect(fixesById.get(v.id)).toBeDefined();
      const line = `        /* sc-migrate(${v.id}): ${body} */`;
      expect(line.length, line).toBeLessThan(100);
      // one action: no second sentence, no recipe list
      expect(body, line).not.toMatch(/\. [A-Z]|->|\bthen\b/);
    }
  });
  it('never name what the rules look for (a marker must not hide its own finding)', () => {
    for (const v of variants) {
      const body = markerText(v.id, finding(v.id, v.messageId), { file: '/a/server.js', browser: v.browser, readsRedirect: v.readsRedirect });
      expect(body, `${v.id}/${v.messageId}`).not.toMatch(/code_verifier|codeVerifier|code_challenge|codeChallenge|oauth_token|client_id|client_secret|refresh_token|refreshToken|expires_in|expiresIn|grant_type|response_type|Authorization|process\.env/);
    }
  });
});
