import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // dist/agentsim.mjs and dist/worker.mjs, bundled from src/ before the tests (see the file)
    globalSetup: ["test/setup/bundle.ts"],
    // no COLUMNS from the shell; the price table and the samplers, which the CLI loads only for
    // scenarios that need them
    setupFiles: ["test/setup/env.ts", "test/setup/lazy.ts"],
    testTimeout: 120_000,
    // Worker-pool tests spawn their own threads; running files one at a time keeps a
    // 2-core CI machine from being oversubscribed.
    fileParallelism: false,
  },
});
