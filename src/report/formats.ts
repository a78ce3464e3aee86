/** The report formats (a module of its own: the CLI's option table needs the list, not the reporters). */
export const FORMATS = ['pretty', 'json', 'sarif', 'github', 'markdown', 'html'] as const;
export type Format = (typeof FORMATS)[number];
