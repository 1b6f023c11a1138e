/**
 * Vitest setup, run before each test file: the tests read agentsim's text at the width of a pipe
 * (100 columns), so a COLUMNS exported by the developer's shell must not narrow it (cli/io.ts).
 * The CLIs the tests spawn inherit this environment.
 */
delete process.env.COLUMNS;
