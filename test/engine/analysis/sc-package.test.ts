/**
 * A SoundCloud client package gives SoundCloud context to its own files (context.ts `scPackage`):
 * its nearest package.json names SoundCloud in `name` or lists it in `keywords`, and names no other
 * service; never a package under node_modules, never a monorepo sibling with its own package.json.
 */
import { describe, expect, it } from 'vitest';
import { createProjectContext } from '../../../src/engine/index.js';
import { scPackage } from '../../../src/engine/analysis/context.js';

function project(files: Record<string, string>) {
  return createProjectContext({ root: '/v', read: (p) => files[p], exists: (p) => p in files, files: () => Object.keys(files) });
}
const pkg = (o: object) => JSON.stringify(o);

describe('scPackage', () => {
  it('a package named for SoundCloud, or with the keyword soundcloud', () => {
    expect(scPackage('/v/lib/client.js', project({ '/v/package.json': pkg({ name: 'soundcloud-nodejs-api-wrapper' }) }))).toBe(true);
    expect(scPackage('/v/lib/client.js', project({ '/v/package.json': pkg({ name: '@acme/soundcloud' }) }))).toBe(true);
    expect(scPackage('/v/src/a.js', project({ '/v/package.json': pkg({ name: 'cloud-audio', keywords: ['api', 'SoundCloud'] }) }))).toBe(true);
  });
  it('not a package that names another service, nor a multi-provider keyword list', () => {
    expect(scPackage('/v/lib/a.js', project({ '/v/package.json': pkg({ name: 'spotify-soundcloud-sync' }) }))).toBe(false);
    expect(scPackage('/v/lib/a.js', project({ '/v/package.json': pkg({ name: 'auth-kit', keywords: ['oauth', 'soundcloud', 'google', 'github'] }) }))).toBe(false);
    expect(scPackage('/v/lib/a.js', project({ '/v/package.json': pkg({ name: 'youtube-soundcloud-dl', keywords: ['soundcloud'] }) }))).toBe(false);
  });
  it('not only a scope, a description, or a keyword that merely contains the word', () => {
    expect(scPackage('/v/lib/a.js', project({ '/v/package.json': pkg({ name: '@soundcloud-tools/mailer' }) }))).toBe(false);
    expect(scPackage('/v/lib/a.js', project({ '/v/package.json': pkg({ name: 'music-dl', description: 'Download tracks from SoundCloud' }) }))).toBe(false);
    expect(scPackage('/v/lib/a.js', project({ '/v/package.json': pkg({ name: 'music-dl', keywords: ['soundcloud-downloader', 'mp3'] }) }))).toBe(false);
  });
  it('the nearest package.json decides: a monorepo sibling is not the SoundCloud package; node_modules never', () => {
    const files = {
      '/v/package.json': pkg({ name: 'soundcloud-tools', private: true }),
      '/v/packages/mailer/package.json': pkg({ name: 'mailer' }),
      '/v/packages/api/package.json': pkg({ name: 'soundcloud-api' }),
      '/v/node_modules/soundcloud-api/package.json': pkg({ name: 'soundcloud-api' }),
    };
    const p = project(files);
    expect(scPackage('/v/packages/mailer/src/send.js', p)).toBe(false);
    expect(scPackage('/v/packages/api/src/client.js', p)).toBe(true);
    expect(scPackage('/v/node_modules/soundcloud-api/lib/client.js', p)).toBe(false);
    expect(scPackage('/v/src/x.js', project({}))).toBe(false);
  });
});
