// Tests parse through src/ directly: the native parser is loaded first, as the engine's loader does
// (src/engine/oxc.ts has no top-level await; on Node without require(esm), parsing before this throws).
import { loadParser } from '../src/engine/parse.js';

await loadParser();
