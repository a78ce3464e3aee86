export * from './types.js';
export { createRule, ruleId, passesGates, DOCS_BASE } from './create-rule.js';
export { addCodeRoutes } from './dev-proxy.js';
export { parseFile, loadParser, preferRawTransfer, languageOf, ParseError, TOO_DEEP, EXTENSIONS, type Parsed } from './parse.js';
export { lintText, traverse, type LintInput, type LintOutput } from './linter.js';
export { createProjectContext, projectOf, projectRootOf, SETTINGS_KEY, type ProjectContext } from './project.js';
export { mentionsSoundCloud, relativeSpecifiers, selectCandidates, gateFacts, DIRECT_TRIGGER, type GateFacts } from './prefilter.js';
