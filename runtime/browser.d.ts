export * from '../dist/src/runtime/browser.js';
