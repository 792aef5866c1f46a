/**
 * `@pasarela/testing/helpers` loads without vitest: imported in a plain node process in which
 * resolving vitest throws. The main entry, which holds the conformance suite, does not.
 */
import { spawnSync } from "node:child_process"
import { fileURLToPath } from "node:url"
import { describe, expect, it } from "@effect/vitest"

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url))

/** Node, with TypeScript sources (tsx) and this workspace's source condition, vitest refused. */
const plainNode = (entry: string) =>
  spawnSync(
    process.execPath,
    [
      "--conditions=@pasarela/source",
      "--import",
      "tsx",
      "--import",
      here("./fixtures/refuse-vitest.mjs"),
      here("./fixtures/use-helpers.ts"),
      entry
    ],
    { encoding: "utf8", cwd: here(".."), timeout: 60_000 }
  )

describe("the helpers entry", () => {
  it("loads and works in a plain node process, with vitest out of reach", () => {
    const run = plainNode("@pasarela/testing/helpers")
    expect(run.stderr).toBe("")
    expect(JSON.parse(run.stdout)).toEqual({ spans: ["plain.node"], port: true, nested: true })
  })

  it("the main entry, with the conformance suite, needs vitest (so the check above can fail)", () => {
    const run = plainNode("@pasarela/testing")
    expect(run.status).not.toBe(0)
    expect(run.stderr).toContain("vitest was loaded")
  })
})
