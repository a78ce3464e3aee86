// `sc-migrate/runtime/browser` for resolvers that do not read package.json "exports" (webpack 4,
// Metro before React Native 0.72): the browser entry, with no Node module in its graph.
export * from '../dist/runtime/browser.js';
