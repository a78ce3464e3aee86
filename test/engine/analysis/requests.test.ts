/** requests.ts: which calls are requests, and their method, URL, query objects and headers. */
import { describe, expect, it } from 'vitest';
import { hasAuthorizationHeader, requestOf, requestUrl } from '../../../src/engine/analysis/requests.js';
import { flatText } from '../../../src/engine/analysis/values.js';
import { envOf, nodes, parse } from './helpers.js';

function requests(code: string) {
  const ast = parse(code);
  const env = envOf('/virtual/app.js');
  return nodes(ast, 'CallExpression').map((c) => requestOf(c, env)).filter((r) => !!r).map((r) => ({ r: r!, url: requestUrl(r!, env).map(flatText)[0] }));
}

describe('requestOf', () => {
  it('knows fetch, axios methods and axios instances with a baseURL', () => {
    const [f] = requests("fetch('https://api.soundcloud.com/me', { headers: { Authorization: 'OAuth ' + t } });");
    expect(f).toMatchObject({ url: 'https://api.soundcloud.com/me', r: { lib: 'fetch', method: 'GET' } });
    expect(hasAuthorizationHeader(f!.r)).toBe(true);
    const rs = requests("import axios from 'axios';\nconst api = axios.create({ baseURL: 'https://api.soundcloud.com' });\napi.get('/tracks', { params: { q: 'x' } });");
    expect(rs.map((x) => [x.r.lib, x.r.method, x.url, x.r.queryObjects.length])).toEqual([['axios', 'GET', 'https://api.soundcloud.com/tracks', 1]]);
  });

  it('knows superagent chains, also called with a method and a URL', () => {
    const rs = requests("const request = require('superagent');\nrequest('PUT', 'https://api.soundcloud.com/me/favorites/1').query({ a: 1 }).set('Authorization', 'OAuth ' + t);");
    expect(rs).toHaveLength(1);
    expect(rs[0]).toMatchObject({ url: 'https://api.soundcloud.com/me/favorites/1', r: { lib: 'superagent', method: 'PUT' } });
    expect(rs[0]!.r.queryObjects).toHaveLength(1);
    expect(hasAuthorizationHeader(rs[0]!.r)).toBe(true);
  });

  it('puts jQuery GET data in the query and POST data in the body', () => {
    const [get, post] = requests("$.getJSON('https://api.soundcloud.com/tracks', { client_id: id });\n$.post('https://api.soundcloud.com/x', { a: 1 });");
    expect(get!.r.queryObjects).toHaveLength(1);
    expect(post!.r.bodies).toHaveLength(1);
  });

  it('knows XMLHttpRequest: open(method, url) is the request, setRequestHeader its headers, send(x) its body', () => {
    const code = "function send(m, t) {\n  const x = new XMLHttpRequest();\n  x.open('post', 'https://api.soundcloud.com/me/playlists');\n  x.setRequestHeader('Content-Type', 'application/json');\n  x.send(JSON.stringify({ title: t }));\n}";
    const rs = requests(code);
    expect(rs).toHaveLength(1);
    expect(rs[0]).toMatchObject({ url: 'https://api.soundcloud.com/me/playlists', r: { lib: 'xhr', method: 'POST' } });
    expect(rs[0]!.r.bodies).toHaveLength(1);
    expect(rs[0]!.r.headerCalls).toHaveLength(1);
    expect(hasAuthorizationHeader(rs[0]!.r)).toBe(false);
    const [auth] = requests("const x = new window.XMLHttpRequest();\nx.open(verb, url);\nx.setRequestHeader('authorization', 'OAuth ' + t);\nx.send();");
    expect(auth!.r.method).toBe('');
    expect(hasAuthorizationHeader(auth!.r)).toBe(true);
    // another object's open/send, or an XMLHttpRequest bound elsewhere, is no request of this one
    expect(requests("const w = window.open('https://soundcloud.com/connect');\nconst db = indexedDB.open('sc', 1);\nfile.open('r', path);")).toEqual([]);
    const [own] = requests("const a = new XMLHttpRequest();\nconst b = new XMLHttpRequest();\na.open('GET', u);\nb.setRequestHeader('Authorization', v);");
    expect(hasAuthorizationHeader(own!.r)).toBe(false);
  });

  it('knows every method a client sends by (requestOf skips the object of any other method call)', () => {
    const code = [
      "import got from 'got';\nimport SC from 'soundcloud';\nimport ky from 'ky';",
      "got.stream('https://api.soundcloud.com/a');\nSC.stream('/tracks/1');\n$.ajax({ url: 'https://api.soundcloud.com/b' });",
      "$.getJSON('https://api.soundcloud.com/c');\nHTTP.call('GET', 'https://api.soundcloud.com/d');\nky.options('https://api.soundcloud.com/e');",
      "const x = new XMLHttpRequest();\nx.open('GET', 'https://api.soundcloud.com/f');",
      // the same objects with other methods: no request
      "got.on('x', cb);\nSC.initialize({ client_id: id });\n$.each(list, cb);\nHTTP.methods({});\nx.send();",
    ].join('\n');
    expect(requests(code).map((x) => [x.r.lib, x.r.method, x.url])).toEqual([
      ['got', 'GET', 'https://api.soundcloud.com/a'], ['sdk', 'GET', '/tracks/1'], ['jquery', 'GET', 'https://api.soundcloud.com/b'],
      ['jquery', 'GET', 'https://api.soundcloud.com/c'], ['meteor', 'GET', 'https://api.soundcloud.com/d'], ['ky', 'OPTIONS', 'https://api.soundcloud.com/e'],
      ['xhr', 'GET', 'https://api.soundcloud.com/f'],
    ]);
  });

  it('is undefined for calls that send nothing', () => {
    expect(requests("console.log('https://api.soundcloud.com'); map.get('k');")).toEqual([]);
  });
});
