import { createRule } from '../../src/engine/create-rule.js';
import { fileFacts, traverseCollect } from '../../src/engine/analysis/facts.js';
import { reporter, sdkCallsOf } from '../../src/engine/analysis/report.js';
import type { ParserExtras } from '../../src/engine/types.js';
import { localPackage } from '../../src/engine/analysis/browser.js';
import { loadsSdkCopy } from '../../src/engine/analysis/markup.js';
import { projectOf } from '../../src/engine/project.js';
import { runtimeBinding } from '../../src/engine/analysis/scope.js';
import { importedFrom, packageName, requireSpecifier } from '../../src/engine/analysis/values.js';
import type { TSESTree } from '@typescript-eslint/typescript-estree';

/**
 * The SDK's script: SoundCloud's own host, or the `soundcloud` npm package's browser build from a
 * package CDN (`https://unpkg.com/soundcloud@3.3.0/sdk.js`, `cdn.jsdelivr.net/npm/soundcloud@3/sdk.js`);
 * not another package whose name starts with it (`soundcloud-audio`).
 */
const SDK_URL_RE = /connect\.soundcloud\.com\/sdk|\/\/(?:unpkg\.com|cdn\.jsdelivr\.net\/npm|esm\.sh|cdn\.skypack\.dev)\/soundcloud(?:@[\w.^~-]*)?(?:[/?#]|$)/i;
const DYNAMIC_IMPORT_RE = /\bimport\s*\(/;
/** The SDK's own repository, when a package.json takes 'soundcloud' from git. */
const SDK_REPOSITORY = /soundcloud\/soundcloud-javascript/i;
const SDK_STRING_RE = /['"](?:npm:)?soundcloud['"]/;

export default createRule({
  id: 'no-deprecated-sdk',
  gate: /\bSC\b|(?:from|require\s*\(|import\s*\()\s*['"`][^'"`\n]*soundcloud['"`]|connect\.soundcloud|sdk|\/soundcloud@/i,
  description: 'The old SoundCloud JavaScript SDK (connect.soundcloud.com/sdk, the `soundcloud` npm package, SC.*) is deprecated.',
  severity: 'error',
  fixKind: 'manual',
  messages: {
    import: "The 'soundcloud' npm SDK is deprecated (implicit grant, tokens in the query, non-expiring scope). Use fetch with sc-migrate/runtime.",
    script: 'The SoundCloud JS SDK script (connect.soundcloud.com/sdk, or the soundcloud npm package from a CDN) is deprecated. Remove it and call the API through your backend with sc-migrate/runtime.',
    initialize: 'SC.initialize() sets up the deprecated SoundCloud SDK. Replace SDK calls with fetch + Authorization header (sc-migrate/runtime).',
    connect: 'SC.Connect is the first SoundCloud Connect SDK (OAuth 1 style popup with request/access token endpoints), long retired. Use the authorization code flow with PKCE (sc-migrate/runtime).',
  },
  create(context) {
    const report = reporter(context);
    // One finding where a file loads the SDK (import, require, script tag); SC.initialize only in
    // files that use the SDK without loading it themselves. A page's `<script src>` tag loads it
    // for the page: an inline `<script>` block calling SC.initialize is reported too.
    let loads = false;
    const load = (node: Parameters<typeof report>[0], id: 'import' | 'script') => { loads = true; report(node, id); };
    // 'soundcloud' taken from the tree (a monorepo's workspace package of that name) is not the SDK.
    let local: boolean | undefined;
    const sdkImport = (node: Parameters<typeof report>[0]) => {
      if (!(local ??= localPackage(context.filename, 'soundcloud', projectOf(context), SDK_REPOSITORY))) load(node, 'import');
    };
    return {
      // (Program:exit only, from the facts' node lists: a rule with listeners on other node types
      // makes the linter's walk look each node's type up in its listener map, 1.8 M nodes on the
      // dense corpus)
      'Program:exit'() {
        const facts = fileFacts(context);
        // Loads: `import ... from 'soundcloud'` (top level), `require('soundcloud')`, `import('soundcloud')`.
        for (const s of importsOf(facts.ast.body)) if (importedFrom(s) === 'soundcloud') sdkImport(s);
        for (const c of facts.calls) if (requireSpecifier(c) === 'soundcloud') sdkImport(c);
        // (the tree is walked for `import()` only in a file that writes one and the 'soundcloud' string)
        const text = context.sourceCode.text;
        if (DYNAMIC_IMPORT_RE.test(text) && SDK_STRING_RE.test(text)) {
          traverseCollect(facts.ast, (n) => { if (n.type === 'ImportExpression' && n.source.type === 'Literal' && packageName(String(n.source.value)) === 'soundcloud') sdkImport(n); });
        }
        for (const l of facts.literals) if (SDK_URL_RE.test(l.text)) load(l.node, 'script');
        const extras = (context.sourceCode.parserServices as { scMigrate?: ParserExtras } | undefined)?.scMigrate;
        // The SDK's URL, or a copy of the SDK kept in the tree under any name (judged from its content).
        for (const s of extras?.scriptSources ?? []) if (SDK_URL_RE.test(s.src) || loadsSdkCopy(context, s.src)) report({ loc: s.loc, range: s.range } as never, 'script');
        if (!loads) for (const [c, m] of sdkCallsOf(facts)) if (m === 'initialize') report(c, 'initialize');
        // `SC.Connect.options = {...}`, `SC.Connect.initiate()`: the first Connect SDK's global (its
        // own file declares `var SC`, so only a use of the unbound global counts; `SC.Connect = {...}` defines it).
        if (!loads) for (const n of connectUses(facts.identifiers)) if (!runtimeBinding((n.object.type === 'MemberExpression' ? n.object.object : n.object) as TSESTree.Identifier)) report(n, 'connect');
      },
    };
  },
});

/** `SC.Connect.x` / `window.SC.Connect.x`: the `SC.Connect` member, from the file's identifiers (in walk order). */
function connectUses(identifiers: readonly TSESTree.Identifier[]): TSESTree.MemberExpression[] {
  const out: TSESTree.MemberExpression[] = [];
  for (const id of identifiers) {
    if (id.name !== 'Connect') continue;
    const node = id.parent;
    if (node?.type !== 'MemberExpression' || node.property !== id || node.computed) continue;
    const parent = node.parent;
    if (parent?.type !== 'MemberExpression' || parent.object !== node) continue;
    const obj = node.object;
    if (obj.type === 'Identifier' ? obj.name === 'SC'
      : obj.type === 'MemberExpression' && !obj.computed && obj.property.type === 'Identifier' && obj.property.name === 'SC' && obj.object.type === 'Identifier' && obj.object.name === 'window') out.push(node);
  }
  return out;
}

/** The import declarations of a program, with those of its `declare module '...' { }` blocks, in source order. */
function importsOf(body: readonly TSESTree.Node[], out: TSESTree.ImportDeclaration[] = []): TSESTree.ImportDeclaration[] {
  for (const s of body) {
    if (s.type === 'ImportDeclaration') out.push(s);
    else if (s.type === 'TSModuleDeclaration' && s.body?.type === 'TSModuleBlock') importsOf(s.body.body, out);
  }
  return out;
}
