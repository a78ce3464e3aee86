/**
 * A copy of SoundCloud's connect SDK kept in an app's tree, told by its text alone. No imports: the
 * scanner asks it of every file it reads (such a copy is skipped as vendored code), and the rules ask
 * it of the scripts a page loads (markup.ts).
 */

// A copy of SoundCloud's connect SDK kept in the tree (`js/sdk-3.1.2.js`, `vendor/sc3.js`), told by
// its content alone, within its first SDK_HEAD_CHARS characters:
// - SDK 1/2 (one concatenated script, about 40 KB): `window.SC = SC.Helper.merge(SC || {}, {...})`
//   with its own `_baseUrl: "//connect.soundcloud.com"` (SDK 1.1: `baseUrl: "http://connect.soundcloud.com"`);
// - SDK 3 (a UMD webpack bundle): the file opens with the UMD wrapper and its first module is the
//   SDK's surface, `SC = { initialize: ..., connect, oEmbed, ..., connectCallback }`. An app's
//   bundle with the SDK somewhere inside opens with its own code: not a copy.
const SDK_HEAD_CHARS = 64 * 1024;
const SDK12_GLOBAL = /\bwindow\.SC\s*=\s*SC\.Helper\.merge\s*\(/;
const SDK12_HOST = /\b_?baseUrl["']?\s*:\s*["'](?:https?:)?\/\/connect\.soundcloud\.com/;
const SDK3_UMD = /^\s*(?:\/\*[\s\S]*?\*\/\s*|\/\/[^\n]*\n\s*)*!\s*function\s*\(\s*[\w$]+\s*,\s*[\w$]+\s*\)\s*\{\s*if\s*\(\s*["']object["']\s*===?\s*typeof\s+exports\b/;
const SDK3_GLOBAL = /\bSC\s*=\s*\{\s*["']?initialize["']?\s*:/;
const SDK3_FIRST_MODULE_CHARS = 4096;

/** Whether a script's text (its first SDK_HEAD_CHARS characters suffice) is a copy of the connect SDK. */
export function isSdkCopy(text: string): boolean {
  const first = text.slice(0, SDK3_FIRST_MODULE_CHARS);
  if (SDK3_UMD.test(first)) {
    const sc = SDK3_GLOBAL.exec(first);
    const surface = sc ? first.slice(sc.index) : '';
    return /\bconnectCallback\b/.test(surface) && /\boEmbed\b/.test(surface);
  }
  const head = text.length > SDK_HEAD_CHARS ? text.slice(0, SDK_HEAD_CHARS) : text;
  return head.includes('SC.Helper') && SDK12_GLOBAL.test(head) && SDK12_HOST.test(head);
}

/**
 * A copy of SoundCloud's Custom Player jQuery plugin (`sc-player.js`, 2009-2013: `$.fn.scPlayer`)
 * kept in an app's tree, told by the licence header it ships with. It resolves and streams with
 * `?consumer_key=` alone (broken since the API requires a token); an app replaces it rather than
 * edits it, so a copy is third-party code like the SDK's.
 */
const CUSTOM_PLAYER_HEADER = /^\s*\/\*[\s\S]{0,200}?SoundCloud Custom Player jQuery Plugin[\s\S]{0,300}?SoundCloud Ltd/;
export function isCustomPlayerCopy(text: string): boolean {
  return CUSTOM_PLAYER_HEADER.test(text.slice(0, 1024)) && text.includes('scPlayer');
}
