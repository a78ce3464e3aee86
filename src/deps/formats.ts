/** The `deps` report formats (a module of its own: the CLI's option table needs the list, not the reporters). */
export const DEPS_FORMATS = ['pretty', 'json', 'sarif', 'markdown'] as const;
export type DepsFormat = (typeof DEPS_FORMATS)[number];
