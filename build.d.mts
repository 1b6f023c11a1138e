/** Types of build.mjs, for the tests' global setup. */
export function bundle(): Promise<void>;
