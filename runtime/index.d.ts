export * from '../dist/src/runtime/index.js';
