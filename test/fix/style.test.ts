/** Inserted code follows the file's style; only the lines fix added or changed are touched. */
import { describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { restyle, styleOf } from '../../src/fix/style.js';

describe('styleOf', () => {
  it('semicolons and template literals as the file uses them', () => {
    expect(styleOf("const a = 'https://x';\nconst b = 2;\nfoo(a);\n")).toEqual({ semi: true, templates: false });
    expect(styleOf("const a = 'x'\nconst b = `${a}/y`\nfoo(b)\n")).toEqual({ semi: false, templates: true });
  });
  it('an airbnb project prefers template literals even in a file without one', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sc-style-'));
    try {
      writeFileSync(join(dir, 'package.json'), '{ "devDependencies": { "eslint-config-airbnb-base": "15.0.0" } }\n');
      expect(styleOf("const a = 'x';\n", join(dir, 'a.js')).templates).toBe(true);
    } finally { rmSync(dir, { recursive: true, force: true }); }
  });
});

describe('restyle', () => {
  const both = { semi: true, templates: true };
  it('turns the inserted auth concatenations into template literals, and nothing else', () => {
    const before = "const u = 'a' + b;\nfetch(u);\n";
    const after = "const u = 'a' + b;\nfetch(u, { headers: { Authorization: 'OAuth ' + (await token()) } });\nx('Basic ' + Buffer.from(encodeURIComponent(id) + ':' + encodeURIComponent(s)).toString('base64'));\n";
    expect(restyle(before, after, both)).toBe("const u = 'a' + b;\nfetch(u, { headers: { Authorization: `OAuth ${await token()}` } });\nx(`Basic ${Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(s)}`).toString('base64')}`);\n");
  });
  it('removes leftovers: ${URL}-only templates, an empty ? or & at a URL end, trailing spaces', () => {
    const before = 'a(`${URL}?oauth_token=${t}`);\nb(API + "/me?client_id=" + ID);\nc(1);\n';
    const after = 'a(`${URL}`);\nb(API + "/me?");   \nc(1);\n';
    expect(restyle(before, after, both)).toBe('a(URL);\nb(API + "/me");\nc(1);\n');
  });
  it('keeps a ? that a concatenation continues, and lines fix did not touch', () => {
    const before = "x();\n";
    const after = "x();\nreturn 'https://secure.soundcloud.com/authorize?' +\n  qs.stringify(q);   \n";
    expect(restyle(before, after, both)).toBe("x();\nreturn 'https://secure.soundcloud.com/authorize?' +\n  qs.stringify(q);\n");
    expect(restyle('a(`${U}`);   \n', 'a(`${U}`);   \nb();\n', both)).toBe('a(`${U}`);   \nb();\n');
  });
  it('no semicolons in a file without them; CRLF kept', () => {
    expect(restyle('a()\r\n', "a()\r\nconst { t } = require('./t.js');\r\n", { semi: false, templates: false })).toBe("a()\r\nconst { t } = require('./t.js')\r\n");
  });
});
