import { describe, expect, it } from 'vitest';
import { fixFiles } from '../../src/fix/apply.js';
import { allRules } from '../../rules/index.js';

const refresh = (tail: string) => `export async function renew() {
  const refreshToken = process.env.SC_REFRESH;
  const res = await fetch('https://secure.soundcloud.com/oauth/token', {
    method: 'POST',
    body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: refreshToken }),
  });
  const data = await res.json();
${tail}
}
`;

async function notesOf(text: string) {
  const { results } = await fixFiles({ files: [{ path: '/virtual/app/token.js', text }], rules: allRules, cwd: '/virtual/app', dry: true });
  return results[0]!.notes ?? [];
}

describe('fix notes a refresh grant that drops the rotated refresh token (no edit)', () => {
  it('names the line and the environment variable the refresh token comes from', async () => {
    const notes = await notesOf(refresh('  return data.access_token;'));
    expect(notes).toHaveLength(1);
    expect(notes[0]).toMatch(/^line 5: .*new refresh_token.*environment variable SC_REFRESH/);
  });
  it('is silent when the code keeps the new refresh token or hands on the whole response', async () => {
    expect(await notesOf(refresh('  await save(data.refresh_token);\n  return data.access_token;'))).toEqual([]);
    expect(await notesOf(refresh('  const { access_token, refresh_token } = data;\n  return [access_token, refresh_token];'))).toEqual([]);
    expect(await notesOf(refresh('  return data;'))).toEqual([]);
  });
});
