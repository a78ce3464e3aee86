/**
 * What a rewrite leaves without a reader goes (a project with noUnusedLocals would not compile):
 * only side-effect-free module-level declarations and import specifiers whose name nothing else
 * in the file reads; a classic script's globals and anything exported stay.
 */
import { describe, expect, it } from 'vitest';
import { parseFile } from '../../src/engine/parse.js';
import { applyGroups } from '../../src/fix/apply.js';
import { orphanEdits } from '../../src/fix/orphans.js';

const prune = (before: string, after: string, file = 'a.ts') => {
  const edits = orphanEdits(parseFile(before, file).ast as never, parseFile(after, file).ast as never, after);
  return applyGroups(after, edits.map((e) => ({ ruleId: 'orphans', edits: [e] }))).text;
};

describe('orphanEdits', () => {
  it('removes an env constant and an import specifier the rewrite left unread; the module stays imported', () => {
    const before = "import { KEY, API } from './config';\nimport { x } from './x';\n\nconst ID = process.env.SC_ID;\n\nexport const a = () => fetch(`${API}/t?client_id=${ID}&k=${KEY}`).then(x);\n";
    const after = "import { KEY, API } from './config';\nimport { x } from './x';\n\nconst ID = process.env.SC_ID;\n\nexport const a = () => fetch(`${API}/t`).then(x);\n";
    expect(prune(before, after)).toBe("import { API } from './config';\nimport { x } from './x';\n\nexport const a = () => fetch(`${API}/t`).then(x);\n");
    const onlyKey = "import { KEY } from './config';\nexport const b = () => fetch(`/t?k=${KEY}`);\n";
    expect(prune(onlyKey, "import { KEY } from './config';\nexport const b = () => fetch('/t');\n")).toBe("import './config';\nexport const b = () => fetch('/t');\n");
  });

  it('keeps exported, computed, already unused and still read declarations, and classic scripts', () => {
    const keep = [
      ["export const ID = 'abc';\nfetch('/t?client_id=' + ID);\n", "export const ID = 'abc';\nfetch('/t');\n"],
      ["import a from 'a';\nconst ID = load();\nfetch('/t?client_id=' + ID);\n", "import a from 'a';\nconst ID = load();\nfetch('/t');\n"],
      ["import a from 'a';\nconst ID = 'abc';\nfetch('/t');\n", "import a from 'a';\nconst ID = 'abc';\nfetch('/t');\n"],
      ["import a from 'a';\nconst ID = 'abc';\nfetch('/t?client_id=' + ID);\nlog(ID);\n", "import a from 'a';\nconst ID = 'abc';\nfetch('/t');\nlog(ID);\n"],
      // a classic script: its top-level var is a global other scripts of the page may read
      ["var ID = 'abc';\n$.getJSON('/t?client_id=' + ID);\n", "var ID = 'abc';\n$.getJSON('/t');\n"],
      // an import over several lines that keeps other names keeps its layout
      ["import {\n  KEY,\n  API,\n} from './c';\nfetch(API + KEY);\n", "import {\n  KEY,\n  API,\n} from './c';\nfetch(API);\n"],
    ];
    for (const [before, after] of keep) expect(prune(before!, after!, 'a.js')).toBe(after);
  });
});
