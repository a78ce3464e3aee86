// For resolvers that do not read package.json "exports" (webpack 4, Metro before React Native
// 0.72, TypeScript's "node" resolution): `sc-migrate/runtime` finds this file. Node and current
// bundlers take the "exports" map and never load it.
export * from '../dist/runtime/index.js';
