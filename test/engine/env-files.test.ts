import { describe, expect, it } from 'vitest';
import { envHostFor, envTrigger, isEnvFileName, readEnvHosts, readsScEnv, scEnvValues } from '../../src/engine/env-files.js';

describe('env files (engine/env-files.ts)', () => {
  it('knows env files and deployment configs by name', () => {
    for (const n of ['.env', '.env.example', '.env.sample', '.env.template', '.env.defaults', '.env.development', '.env.local.example', 'production.env', 'env.sample', 'serverless.yml', 's-function.json', 'docker-compose.dev.yml', 'vercel.json', 'netlify.toml', 'app.yaml']) expect(isEnvFileName(n), n).toBe(true);
    for (const n of ['.envrc', 'env.js', 'environment.ts', 'package.json', 'config.yml', 'README.md', '.eslintrc']) expect(isEnvFileName(n), n).toBe(false);
  });

  it('keeps variables set to a SoundCloud host, never another host', () => {
    const v = scEnvValues([
      'PORT=3000',
      'export SC_API="https://api.soundcloud.com" # public API',
      "SC_V2='//api-v2.soundcloud.com/'",
      'BARE=api.soundcloud.com',
      'OTHER=https://api.spotify.com/v1',
      'LOOKALIKE=https://soundcloud.com.example.org',
      '# OLD=https://api.soundcloud.com',
    ].join('\n'));
    expect([...v]).toEqual([['SC_API', 'https://api.soundcloud.com'], ['SC_V2', '//api-v2.soundcloud.com/'], ['BARE', 'api.soundcloud.com']]);
  });

  it('reads deployment configs: a SoundCloud value, or a reference named for SoundCloud (no value)', () => {
    const yml = 'provider:\n  environment:\n    API: ${self:custom.soundcloudApi}\n    KEY: ${ssm:/app/key}\n    HOST: https://api.soundcloud.com\n';
    expect([...scEnvValues(yml, true)]).toEqual([['API', undefined], ['HOST', 'https://api.soundcloud.com']]);
    const json = '{\n  "environment": {\n    "SC_API_ENDPOINT": "$${soundcloudApiEndpoint}",\n    "REGION": "${region}"\n  }\n}';
    expect([...scEnvValues(json, true)]).toEqual([['SC_API_ENDPOINT', undefined]]);
    // a reference is no value in an env file
    expect([...scEnvValues('API=${soundcloudApi}')]).toEqual([]);
  });

  it('scopes a variable to the folder of its file and below', () => {
    const files: Record<string, string> = {
      '/p/server/.env.example': 'API_BASE=https://api.soundcloud.com',
      '/p/web/.env': 'API_BASE=https://example.org',
    };
    const hosts = readEnvHosts(Object.keys(files), (p) => files[p]);
    expect(envHostFor(hosts, '/p', '/p/server/src/a.js', 'API_BASE')?.value).toBe('https://api.soundcloud.com');
    expect(envHostFor(hosts, '/p', '/p/web/src/a.js', 'API_BASE')).toBeUndefined();
    expect(readsScEnv(hosts, '/p', '/p/server/src/a.js', 'const b = process.env.API_BASE')).toBe(true);
    expect(readsScEnv(hosts, '/p', '/p/web/a.js', 'const b = process.env.API_BASE')).toBe(false);
    expect(envTrigger(hosts)?.source).toBe('\\b(?:API_BASE)\\b');
    expect(envTrigger(readEnvHosts([], () => undefined))).toBeUndefined();
  });
});
