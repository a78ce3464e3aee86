/**
 * URL objects: `{ protocol, host, pathname, query }` for `url.format`, or request options
 * (`{ method, hostname, path }`, or a bare host as `uri`) kept in a variable or a property and
 * sent later by a helper.
 * A multi-provider OAuth library describes each provider's endpoints this way.
 */
import type { TSESTree } from '@typescript-eslint/typescript-estree';
import type { FileFacts } from './facts.js';
import { evalString, findProp, flatText } from './values.js';

export interface UrlObject {
  obj: TSESTree.ObjectExpression;
  /** The path / pathname value. */
  path: TSESTree.Node;
  /** host + path, as `https://host/path` (one per alternative value). */
  urls: string[];
}

const memo = new WeakMap<FileFacts, UrlObject[]>();

/** The URL objects of a file (objects with a host and a path), found once per file. */
export function urlObjects(facts: FileFacts, text: string): UrlObject[] {
  let out = memo.get(facts);
  if (out) return out;
  out = [];
  if (/\b(host(name)?|uri)['"]?\s*:/.test(text)) {
    for (const p of facts.properties) {
      const obj = p.parent;
      if (obj?.type !== 'ObjectExpression' || obj.properties[0] !== p) continue; // each object once
      const path = findProp(obj, 'pathname') ?? findProp(obj, 'path');
      if (!path) continue;
      const host = findProp(obj, 'hostname') ?? findProp(obj, 'host');
      // a helper's own request data `{ uri: 'api.soundcloud.com', path: '/oauth2/token' }`: a
      // `uri` that is a bare host name (no scheme, no path) is the host
      const uri = host ? undefined : findProp(obj, 'uri');
      const uris = uri && evalString(uri, facts.env).map(flatText);
      if (!host && !(uris?.length && uris.every((u) => /^[a-z0-9-]+(\.[a-z0-9-]+)+$/i.test(u)))) continue;
      const hosts = host ? evalString(host, facts.env).map((a) => flatText(a).replace(/^(https?:)?\/\//, '').replace(/\/$/, '')) : uris!;
      const paths = evalString(path, facts.env).map(flatText);
      const urls = hosts.flatMap((h) => paths.map((q) => `https://${h}${q}`));
      if (urls.length) out.push({ obj, path, urls });
    }
  }
  memo.set(facts, out);
  return out;
}
