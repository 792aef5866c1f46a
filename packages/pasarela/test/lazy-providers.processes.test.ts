/**
 * Providers load on demand: a fresh process imports the built `pasarela` (as an app does), starts it
 * with one merchant and makes one call, while module hooks record every module it loads. A
 * configuration naming one provider loads that adapter and never the other: of the other's package,
 * only its `Options` module (what the registry checks a file's options with), never its adapter.
 */
import { spawnSync } from "node:child_process"
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { basename, dirname, join } from "node:path"
import { fileURLToPath } from "node:url"
import { afterAll, beforeAll, describe, expect, it } from "@effect/vitest"
import { closedPort } from "@pasarela/testing/node"
import * as Effect from "effect/Effect"

const packageDir = fileURLToPath(new URL("..", import.meta.url))
const root = join(packageDir, "../..")
const fixture = (name: string) => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url))
const dir = mkdtempSync(join(tmpdir(), "pasarela-lazy-"))

/** The name in the nearest package.json above a loaded module's file. */
const packageOf = (url: string): string | undefined => {
  if (!url.startsWith("file:")) return undefined
  let at = dirname(fileURLToPath(url))
  while (!existsSync(join(at, "package.json"))) {
    const up = dirname(at)
    if (up === at) return undefined
    at = up
  }
  return (JSON.parse(readFileSync(join(at, "package.json"), "utf8")) as { readonly name?: string }).name
}

/** Runs the program with one merchant on `provider`; what it printed and the packages it loaded. */
const runWith = (provider: "placetopay" | "autocore") => {
  const file = join(dir, `${provider}.txt`)
  const child = spawnSync(
    process.execPath,
    ["--import", fixture("record-modules.mjs"), fixture("one-provider.mjs"), provider],
    // No loader or condition inherited from the test runner: the built package, as installed.
    {
      cwd: packageDir,
      encoding: "utf8",
      timeout: 60_000,
      env: { ...process.env, NODE_OPTIONS: "", LOADED_MODULES: file, CLOSED_PORT: String(port) }
    }
  )
  expect(child.status, `${child.stdout}${child.stderr}`).toBe(0)
  const urls = readFileSync(file, "utf8")
    .split("\n")
    .filter((line) => line !== "")
  return {
    printed: JSON.parse(child.stdout.trim().split("\n").at(-1)!) as { readonly failed: string },
    packages: new Set(urls.map(packageOf).filter((name) => name !== undefined)),
    /** The files loaded from one package, by name. */
    filesOf: (name: string) =>
      urls
        .filter((url) => packageOf(url) === name)
        .map((url) => basename(fileURLToPath(url)))
        .sort()
  }
}

let port = 0

describe("providers load on demand", () => {
  beforeAll(async () => {
    port = await Effect.runPromise(closedPort)
    // The child runs the built package: build what it holds (a no-op when `pnpm build` ran).
    const build = spawnSync(
      process.execPath,
      [join(root, "node_modules/typescript/bin/tsc"), "-b", "packages/pasarela"],
      { cwd: root, encoding: "utf8" }
    )
    expect(build.status, `${build.stdout}${build.stderr}`).toBe(0)
  }, 180_000)
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  it("a configuration naming only PlacetoPay never loads Autocore (nor memory, undici or a store backend)", () => {
    const { printed, packages, filesOf } = runWith("placetopay")
    // The call reached the adapter: its layer was built, and the closed port refused it.
    expect(printed.failed).toBe("ProviderUnavailable")
    expect(packages).toContain("pasarela")
    expect(packages).toContain("@pasarela/placetopay")
    // The registry reads Autocore's options schema (a light module); its adapter, client and cipher stay unloaded.
    expect(filesOf("@pasarela/autocore")).toEqual(["Options.js"])
    expect(packages).not.toContain("@pasarela/memory")
    for (const heavy of ["undici", "@electric-sql/pglite", "pg"]) expect(packages).not.toContain(heavy)
  }, 60_000)

  it("a configuration naming only Autocore never loads PlacetoPay (nor memory, undici or a store backend)", () => {
    const { printed, packages, filesOf } = runWith("autocore")
    expect(printed.failed).toBe("ProviderUnavailable")
    expect(packages).toContain("@pasarela/autocore")
    // The registry reads PlacetoPay's options schema (a light module); its adapter, client and
    // hashing stay unloaded.
    expect(filesOf("@pasarela/placetopay")).toEqual(["Options.js"])
    expect(packages).not.toContain("@pasarela/memory")
    for (const heavy of ["undici", "@electric-sql/pglite", "pg"]) expect(packages).not.toContain(heavy)
  }, 60_000)
})
