/** The engine's one walker (src/engine/walk.ts, on visitor keys): pre-order, no visitor keys to pass. */
export { traverseCollect } from '../walk.js';
