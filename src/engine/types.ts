/**
 * Types shared by the engine and the rules. Rules are ESLint rule objects: they use only the
 * small slice of ESLint's rule API described by `RuleContext`, so the same objects run in the
 * sc-migrate runner (CLI, fix, hooks) and inside ESLint (the plugin).
 */
import type { TSESTree } from '@typescript-eslint/typescript-estree';

export type Node = TSESTree.Node;
export type Program = TSESTree.Program;
export type Comment = TSESTree.Comment;
export type Range = [number, number];
export type Severity = 'error' | 'warning';
/** auto: `fix` rewrites it; suggest: a rewrite a person must confirm; manual: a marker and a recipe. */
export type FixKind = 'auto' | 'suggest' | 'manual';

export interface Position {
  line: number; // 1-based
  column: number; // 0-based, as in ESTree
}
export interface SourceLocation {
  start: Position;
  end: Position;
}

export interface TextEdit {
  range: Range;
  text: string;
}

export interface Fixer {
  insertTextAfter(nodeOrToken: { range: Range }, text: string): TextEdit;
  insertTextAfterRange(range: Range, text: string): TextEdit;
  insertTextBefore(nodeOrToken: { range: Range }, text: string): TextEdit;
  insertTextBeforeRange(range: Range, text: string): TextEdit;
  remove(nodeOrToken: { range: Range }): TextEdit;
  removeRange(range: Range): TextEdit;
  replaceText(nodeOrToken: { range: Range }, text: string): TextEdit;
  replaceTextRange(range: Range, text: string): TextEdit;
}
export type FixFunction = (fixer: Fixer) => TextEdit | TextEdit[] | Iterable<TextEdit> | null;

export interface SuggestionDescriptor<M extends string> {
  messageId: M;
  data?: Record<string, string | number>;
  fix: FixFunction;
}

export interface ReportDescriptor<M extends string> {
  node?: Node | { loc: SourceLocation; range?: Range };
  loc?: SourceLocation;
  messageId: M;
  data?: Record<string, string | number>;
  fix?: FixFunction | null;
  suggest?: SuggestionDescriptor<M>[] | null;
  /**
   * This finding's severity when it is lower than the rule's (a deliberate use worth a review
   * note, not an error). sc-migrate only: it never raises a finding above the configured level,
   * and ESLint ignores the field.
   */
  severity?: Severity;
}

/** The part of ESLint's SourceCode a rule may use. */
export interface SourceCodeLike {
  text: string;
  ast: Program;
  lines: string[];
  getText(node?: { range: Range }): string;
  getAllComments(): Comment[];
  /** In the sc-migrate runner: `{ scMigrate: ParserExtras }`; under ESLint possibly something else. */
  parserServices?: Record<string, unknown>;
}

/** The part of ESLint's rule context a rule may use. Nothing else. */
export interface RuleContext<M extends string = string> {
  id: string;
  filename: string;
  cwd: string;
  settings: Record<string, unknown>;
  options: readonly unknown[];
  sourceCode: SourceCodeLike;
  report(descriptor: ReportDescriptor<M>): void;
}

export type RuleListener = Record<string, ((node: any) => void) | undefined>;

export interface ScRuleDocs {
  description: string;
  url: string;
  recommended: boolean;
  /** sc-migrate's own metadata (ESLint ignores unknown docs fields). */
  scMigrate: {
    id: string;
    severity: Severity;
    fixKind: FixKind;
    /** A message whose findings have another fix kind than the rule's (see RuleDefinition.fixKinds). */
    fixKinds?: Record<string, FixKind>;
    /** project: the rule looks past the file (documented per rule). */
    scope: 'file' | 'project';
    /**
     * Words without which the rule never reports in a file (RuleDefinition.gate): the scanner does
     * not parse a file that has none of its rules' words. Absent: every candidate is parsed.
     */
    gate?: RegExp;
  };
}

export interface ScRule<M extends string = string> {
  meta: {
    type: 'problem' | 'suggestion';
    docs: ScRuleDocs;
    messages: Record<M, string>;
    schema: [];
    fixable?: 'code';
    hasSuggestions?: boolean;
  };
  create(context: RuleContext<M>): RuleListener;
}

/** A finding as the engine produces it (before reporters). Lines and columns are 1-based. */
export interface Finding {
  ruleId: string;
  severity: Severity;
  message: string;
  messageId: string;
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  /** The finding's own fix kind: its message's (rule meta fixKinds), else its rule's; `manual` once marked. */
  fixKind: FixKind;
  /** A `sc-migrate(<rule-id>)` marker of `fix` sits above it: left for a person (fixKind is then manual). */
  marked?: boolean;
  /**
   * Where the finding's root cause is written, when that is not its own statement (or is the
   * private API's host): the statement one marker of `fix` goes above to mark every finding that
   * shares it (src/engine/markers.ts). `file` is absolute; `line` is 1-based.
   */
  origin?: FindingOrigin;
  /** Offsets into the original file text. */
  fix?: { edits: TextEdit[] };
  suggestions?: { message: string; edits: TextEdit[] }[];
  /**
   * In-process handle (lintText with `keepNodes`): the reported node and the parse it belongs to,
   * so `fix` acts on the scan's findings without parsing, linting and finding nodes again.
   * Non-enumerable: never serialized (reports, worker threads) and not copied by a spread.
   */
  handle?: FindingHandle;
}

/** See Finding.origin. `private-api`: the api-v2 host literal the request URL is built from; `value`: the declaration the credential comes from (a constant, an import, a parameter, a getter). */
export interface FindingOrigin {
  file: string;
  line: number;
  kind: 'private-api' | 'value';
  /** `value`: the request's URL names no SoundCloud API host (a URL from a response, a parameter): it may be the private API's. */
  unknownHost?: boolean;
}

/** See Finding.handle. */
export interface FindingHandle {
  /** The node the rule reported (absent when it reported a location). */
  node?: Node;
  /** The parse of the file (locations and comments on: what `fix` needs). */
  parsed: { ast: Program; text: string; extras: ParserExtras };
  /** The file text the findings were computed on. */
  text: string;
}

/** Copies a finding's handle onto another object (a spread does not: the field is non-enumerable). */
export function keepHandle<T extends object>(to: T, from: { handle?: FindingHandle }): T {
  if (from.handle) Object.defineProperty(to, 'handle', { value: from.handle, enumerable: false, configurable: true });
  return to;
}

/** Extra facts the sc-migrate parser front-end hands to rules (e.g. HTML `<script src>`). */
export interface ParserExtras {
  language: Language;
  /** `<script src="...">` tags of .html / .vue files, with their location in the file. */
  scriptSources: { src: string; loc: SourceLocation; range: Range }[];
  /** Set when the code was read after repairing its end (ParseOptions.recover): the scanner only. */
  recovered?: Recovered;
}

/** A file read after appending the closers its end lacks (src/engine/parse.ts, ParseOptions.recover). */
export interface Recovered {
  /** The parse error of the file as it is. */
  error: string;
  /** What was appended after the file's text (a line break, then the closers). */
  appended: string;
  /** The `::` bind operators were read as plain references instead (nothing appended; parse.ts withoutBindOperator). */
  bind?: true;
}

export type Language = 'js' | 'jsx' | 'ts' | 'tsx' | 'vue' | 'html';
