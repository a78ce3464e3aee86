/** values.ts: what text an expression may hold, across bindings, objects, helpers and files. */
import { describe, expect, it } from 'vitest';
import { evalString, flatText, HOLE, resolveModule } from '../../../src/engine/analysis/values.js';
import { envOf, init, parse, project } from './helpers.js';

const texts = (code: string, name: string, filename = '/virtual/app.js', p = project({})) => {
  const ast = parse(code, filename);
  return evalString(init(ast, name), envOf(filename, p)).map(flatText);
};

describe('evalString', () => {
  it('follows literals, templates, + and const bindings', () => {
    expect(texts("const B = 'https://api.soundcloud.com';\nconst u = `${B}/me?limit=` + 10;", 'u')).toEqual(['https://api.soundcloud.com/me?limit=10']);
  });

  it('keeps unknown pieces as holes that remember their name', () => {
    const [t] = texts('const u = track.stream_url + "?client_id=" + id;', 'u');
    expect(t).toBe(`${HOLE}?client_id=${HOLE}`);
  });

  it('gives both alternatives of a condition', () => {
    expect(texts("const u = dev ? 'http://localhost' : 'https://api.soundcloud.com';", 'u')).toEqual(['http://localhost', 'https://api.soundcloud.com']);
  });

  it('evaluates small helpers with their arguments, and object properties', () => {
    const code = "const cfg = { api: { base: 'https://api.soundcloud.com' } };\nfunction path(p) { return cfg.api.base + p; }\nconst u = path('/tracks');";
    expect(texts(code, 'u')).toEqual(['https://api.soundcloud.com/tracks']);
  });

  it('reads this.x of a class field and of an object-literal method', () => {
    const code = "const auth = { domain: 'https://api.soundcloud.com', url() { return this.domain + '/oauth2/token'; } };\nconst u = auth.url();";
    expect(texts(code, 'u')).toEqual(['https://api.soundcloud.com/oauth2/token']);
  });

  it('reads this.x of a field one method of the class sets, and nothing when several set it', () => {
    const one = "class Api {\n  static init() { this.base = 'https://api.soundcloud.com'; }\n  static me() { const u = this.base + '/me'; return u; }\n}";
    expect(texts(one, 'u')).toEqual(['https://api.soundcloud.com/me']);
    const two = "class Api {\n  local() { this.base = 'http://localhost'; }\n  remote() { this.base = 'https://api.soundcloud.com'; }\n  me() { const u = this.base + '/me'; return u; }\n}";
    expect(texts(two, 'u')).toEqual([`${HOLE}/me`]);
  });

  it('reads constants exported by other files, also when the import differs in case', () => {
    const files = { '/virtual/Config.js': "export const base_url = 'https://api.soundcloud.com';\n", '/virtual/app.js': '' };
    const p = project(files);
    expect(texts("import * as config from './config';\nconst u = config.base_url + '/me';", 'u', '/virtual/app.js', p)).toEqual(['https://api.soundcloud.com/me']);
    expect(resolveModule(p, '/virtual/app.js', './config')).toBe('/virtual/Config.js');
  });
});
