/**
 * parseFile on pages of template languages the engine does not know: an inline script holding a
 * template expression no JS parser reads is blanked, the rest of the page is still parsed.
 */
import { describe, expect, it } from 'vitest';
import { parseFile, ParseError } from '../../src/engine/parse.js';

const PAGE = [
  '@(title: String)',
  '<html><body>',
  '<script>',
  '  $.background("@routes.Assets.at("img/a.png")");',
  '</script>',
  '<script>',
  '  var key = window.APP_KEY;',
  '</script>',
  '<script src="https://connect.soundcloud.com/sdk.js"></script>',
  '</body></html>',
].join('\n');

describe('parseFile: unreadable inline script blocks of a page', () => {
  it('blanks the block that does not parse and keeps the others and the script tags', () => {
    const p = parseFile(PAGE, 'views/main.scala.html');
    expect(p.extras.scriptSources.map((s) => s.src)).toEqual(['https://connect.soundcloud.com/sdk.js']);
    expect(p.text).not.toContain('background');
    expect(p.text).toContain('var key = window.APP_KEY;');
    expect(p.ast.body.some((n) => n.type === 'VariableDeclaration')).toBe(true);
    expect(p.text).toHaveLength(PAGE.length);
  });

  it('parses a page whose blocks all parse as before', () => {
    const ok = PAGE.replace('"@routes.Assets.at("img/a.png")"', '"/img/a.png"');
    expect(parseFile(ok, 'index.html').text).toContain('"/img/a.png"');
  });

  it('keeps the syntax error of a single-file component', () => {
    const sfc = '<template><p/></template>\n<script>\nexport default { data( }\n</script>\n';
    expect(() => parseFile(sfc, 'Player.vue')).toThrow(ParseError);
  });
});
