import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 120_000,
    // Worker-pool tests spawn their own threads; running files one at a time keeps a
    // 2-core CI machine from being oversubscribed.
    fileParallelism: false,
  },
});
