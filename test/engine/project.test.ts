/**
 * The project context's caches (src/engine/project.ts): other modules' texts and trees are kept
 * within a budget, a module is one tree for the whole analysis of a file, and trees carry no `loc`.
 */
import { describe, expect, it } from 'vitest';
import { createProjectContext } from '../../src/engine/index.js';
import { projectRenewsTokens } from '../../src/engine/analysis/project-facts.js';

/** A module of about `chars` characters of constants. */
const bigModule = (name: string, chars: number) => {
  let out = `export const NAME = '${name}';\n`;
  for (let i = 0; out.length < chars; i++) out += `export const C${i} = 'value number ${i} of ${name}';\n`;
  return out;
};

function project(files: Record<string, string>) {
  const reads: string[] = [];
  const ctx = createProjectContext({
    root: '/v',
    read: (p) => { reads.push(p); return files[p]; },
    exists: (p) => p in files,
    files: () => Object.keys(files),
    boundedCaches: true,
  });
  return { ctx, reads };
}

describe('project context caches', () => {
  const files: Record<string, string> = {};
  for (let i = 0; i < 8; i++) files[`/v/m${i}.js`] = bigModule(`m${i}`, 100_000);

  it('keeps a module as one tree while a file is analysed, whatever the budget', () => {
    const { ctx } = project(files);
    ctx.enterFile!('/v/a.js');
    const first = ctx.loadModule('/v/m0.js');
    for (let i = 1; i < 8; i++) ctx.loadModule(`/v/m${i}.js`);
    expect(first).toBeDefined();
    expect(ctx.loadModule('/v/m0.js')).toBe(first);
  });

  it('lets the trees of earlier files go beyond the budget, and parses them again when asked', () => {
    const { ctx } = project(files);
    ctx.enterFile!('/v/a.js');
    const m0 = ctx.loadModule('/v/m0.js')!;
    ctx.enterFile!('/v/b.js');
    for (let i = 1; i < 8; i++) ctx.loadModule(`/v/m${i}.js`);
    ctx.enterFile!('/v/c.js');
    const again = ctx.loadModule('/v/m0.js')!;
    expect(again).not.toBe(m0);
    expect(again.ast.body.length).toBe(m0.ast.body.length);
    // the most recent ones stay
    const m7 = ctx.loadModule('/v/m7.js');
    ctx.enterFile!('/v/d.js');
    expect(ctx.loadModule('/v/m7.js')).toBe(m7);
    // unbounded (fix, ESLint): one tree per module for the life of the context
    const all = createProjectContext({ root: '/v', read: (p) => files[p], exists: (p) => p in files });
    all.enterFile!('/v/a.js');
    const first = all.loadModule('/v/m0.js');
    all.enterFile!('/v/b.js');
    for (let i = 1; i < 8; i++) all.loadModule(`/v/m${i}.js`);
    all.enterFile!('/v/c.js');
    expect(all.loadModule('/v/m0.js')).toBe(first);
  });

  it('keeps small modules across files (no parse twice within the budget)', () => {
    const small = { '/v/x.js': 'export const A = 1;', '/v/y.js': 'export const B = 2;' };
    const { ctx, reads } = project(small);
    ctx.enterFile!('/v/a.js');
    const x = ctx.loadModule('/v/x.js');
    ctx.enterFile!('/v/b.js');
    ctx.loadModule('/v/y.js');
    ctx.enterFile!('/v/c.js');
    expect(ctx.loadModule('/v/x.js')).toBe(x);
    expect(reads.filter((r) => r === '/v/x.js')).toHaveLength(1);
  });

  it('gives trees with range, and no loc objects when asked for none', () => {
    const ctx = createProjectContext({ root: '/v', read: () => 'export const A: string = "a" + "b";', exists: () => true, moduleLocations: false });
    const decl = ctx.loadModule('/v/x.ts')!.ast.body[0]!;
    expect(decl.loc).toBeUndefined();
    expect(decl.range ?? [(decl as unknown as { start: number }).start]).toEqual(expect.arrayContaining([0]));
    expect(project({ '/v/x.ts': 'export const A = 1;' }).ctx.loadModule('/v/x.ts')!.ast.body[0]!.loc).toBeDefined();
  });

  it('project facts see a destructured expires_in in a module no rule walked before', () => {
    const { ctx } = project({
      '/v/a.js': 'export function save(data) { const { expires_in } = data; return expires_in; }',
      '/v/b.js': 'export const x = 1;',
    });
    expect(projectRenewsTokens(ctx)).toBe(true);
    const { ctx: none } = project({ '/v/a.js': 'export function save(data) { const { access_token } = data; return "expires_in"; }' });
    expect(projectRenewsTokens(none)).toBe(false);
    // the classic client fix writes caches the app token until expires_in: not the app's own renewal
    const { ctx: generated } = project({ '/v/soundcloud-browser-client.js': '// Created by sc-migrate (classic browser script): app tokens\nwindow.c = function (body) { return body.expires_in; };' });
    expect(projectRenewsTokens(generated)).toBe(false);
  });
});
