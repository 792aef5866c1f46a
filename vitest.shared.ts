import { defineConfig } from "vitest/config"

// Tests run from source: packages export "@pasarela/source" → src/index.ts.
export default defineConfig({
  ssr: { resolve: { conditions: ["@pasarela/source", "module", "node", "development|production"] } },
  resolve: { conditions: ["@pasarela/source", "module", "node", "development|production"] },
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 30_000,
    hookTimeout: 30_000
  }
})
