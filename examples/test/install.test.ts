/**
 * Installing as a user does: every package packed as it is published (`pnpm pack`), each tarball
 * checked (README, LICENSE, engines; publint and arethetypeswrong), and installed with npm into a
 * fresh app. Next to `effect@3.22.x` there is one copy of Effect and a program runs through each
 * public entry — the Effect API, the Promise API, `require()` from CommonJS, the testing helpers and
 * the `pasarela` binary; next to `effect@4` npm says so at install time (a peer dependency conflict)
 * instead of the app crashing later. Needs the npm registry: without it the
 * test is skipped with the reason printed (CI sets PASARELA_REQUIRE_REGISTRY=1, making that a failure).
 */
import { spawn, spawnSync } from "node:child_process"
import { copyFileSync, existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { fileURLToPath } from "node:url"
import { afterAll, beforeAll, describe, expect, it } from "@effect/vitest"

const root = fileURLToPath(new URL("../..", import.meta.url))
/** What an app installs to run a memory link, and the testing helpers. */
const packages = ["core", "memory", "placetopay", "autocore", "node", "store", "pasarela", "testing", "sandbox", "cli"]

/** The environment without the npm settings pnpm passes to what it runs (npm warns about pnpm's own). */
const env = {
  ...Object.fromEntries(
    Object.entries(process.env).filter(
      ([key]) => !key.startsWith("npm_config_") || ["npm_config_registry", "npm_config_cache"].includes(key)
    )
  ),
  npm_config_fund: "false",
  npm_config_audit: "false",
  npm_config_update_notifier: "false"
}

interface Ran {
  readonly status: number | null
  readonly output: string
}

/**
 * Runs a command to its end without blocking this worker: a synchronous child for minutes would
 * starve the test runner's own messages to its worker.
 */
const run = (command: string, args: ReadonlyArray<string>, cwd: string): Promise<Ran> =>
  new Promise((resolve) => {
    const child = spawn(command, args, { cwd, env, timeout: 180_000 })
    let output = ""
    child.stdout.on("data", (chunk) => {
      output += chunk
    })
    child.stderr.on("data", (chunk) => {
      output += chunk
    })
    child.on("error", (error) => resolve({ status: null, output: `${output}${error.message}` }))
    child.on("close", (status) => resolve({ status, output }))
  })

const registryReachable = () =>
  spawnSync("npm", ["view", "effect@3.22", "version", "--json"], { cwd: tmpdir(), env, timeout: 60_000 }).status === 0
const required = process.env.PASARELA_REQUIRE_REGISTRY === "1"
const reachable = registryReachable()
if (!reachable && !required) console.log("install test skipped: the npm registry (registry.npmjs.org) is not reachable")

const freshApp = (name: string) => {
  const dir = mkdtempSync(join(tmpdir(), `pasarela-${name}-`))
  writeFileSync(join(dir, "package.json"), JSON.stringify({ name, private: true, type: "module" }))
  return dir
}

describe.skipIf(!reachable && !required)("installing the packed packages with npm", () => {
  const dirs: Array<string> = []
  let tarballs: Array<string> = []
  beforeAll(async () => {
    // The tarballs carry dist/: build what they hold (a no-op when `pnpm build` ran).
    const build = await run(
      process.execPath,
      [join(root, "node_modules/typescript/bin/tsc"), "-b", "packages/pasarela", "packages/testing", "packages/cli"],
      root
    )
    expect(build.status, build.output).toBe(0)
    const packed = mkdtempSync(join(tmpdir(), "pasarela-packed-"))
    dirs.push(packed)
    for (const name of packages) {
      const pack = await run("pnpm", ["pack", "--pack-destination", packed], join(root, "packages", name))
      expect(pack.status, pack.output).toBe(0)
    }
    tarballs = readdirSync(packed).map((file) => join(packed, file))
    expect(tarballs).toHaveLength(packages.length)
  }, 180_000)
  afterAll(() => {
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true })
  })

  it("each tarball carries its README, the LICENSE and its engines", async () => {
    for (const tarball of tarballs) {
      const listed = await run("tar", ["-tzf", tarball], tmpdir())
      expect(listed.status, listed.output).toBe(0)
      const files = listed.output.split("\n")
      expect(files, tarball).toContain("package/README.md")
      expect(files, tarball).toContain("package/LICENSE")
      const manifest = JSON.parse((await run("tar", ["-xzOf", tarball, "package/package.json"], tmpdir())).output)
      expect(manifest.engines, tarball).toEqual({ node: ">=20" })
    }
  })

  it("publint and arethetypeswrong find nothing wrong in any tarball (ESM only, by design)", async () => {
    const bin = (name: string) => join(root, "node_modules/.bin", name)
    for (const tarball of tarballs) {
      const publint = await run(bin("publint"), ["--strict", tarball], tmpdir())
      expect(publint.status, publint.output).toBe(0)
      const attw = await run(bin("attw"), ["--profile", "esm-only", "--format", "ascii", tarball], tmpdir())
      expect(attw.status, attw.output).toBe(0)
    }
  }, 180_000)

  it("next to effect@3.22: one Effect, and a memory link end to end", async () => {
    const app = freshApp("app-effect-3")
    dirs.push(app)
    const install = await run("npm", ["install", "--loglevel=warn", ...tarballs, "effect@3.22"], app)
    expect(install.status, install.output).toBe(0)
    expect(install.output).not.toMatch(/ERESOLVE|peer dep/i)
    // One copy of Effect, the app's: none nested inside our packages.
    const nested = packages.map((name) => join(app, "node_modules/@pasarela", name === "pasarela" ? "" : name))
    for (const dir of nested) expect(existsSync(join(dir, "node_modules/effect")), dir).toBe(false)
    expect(existsSync(join(app, "node_modules/pasarela/node_modules/effect"))).toBe(false)
    copyFileSync(fileURLToPath(new URL("./fixtures/installed-app.mjs", import.meta.url)), join(app, "app.mjs"))
    const started = await run(process.execPath, ["app.mjs"], app)
    expect(started.status, started.output).toBe(0)
    const result = JSON.parse(started.output.trim().split("\n").at(-1)!)
    expect(result).toMatchObject({
      status: "paid",
      spans: ["pasarela.links.create", "pasarela.links.get"],
      routed: "memory:hotel-lima:primary:lnk_1",
      // vitest is an optional peer, not installed: the conformance entry needs it, the helpers do not.
      testingMainEntry: "ERR_MODULE_NOT_FOUND"
    })
    expect(result.effect).toMatch(/^3\.22\./)
    // ESM only, and CommonJS may still `require()` it on Node 20.19 and later (require of ES modules).
    const required = await run(
      process.execPath,
      ["--no-warnings", "-e", "console.log(typeof require('pasarela').createPasarela)"],
      app
    )
    expect(required.output.trim()).toBe("function")
    // The command line, as installed: its binary on the app's PATH, against the app's configuration.
    writeFileSync(join(app, "pasarela.json"), JSON.stringify({ merchants: { "hotel-lima": { provider: "memory" } } }))
    const cli = await run(
      join(app, "node_modules/.bin/pasarela"),
      [
        "links",
        "create",
        "--merchant",
        "hotel-lima",
        "--reference",
        "BK-3",
        "--description",
        "1 night",
        "--amount",
        "90000",
        "--json"
      ],
      app
    )
    expect(cli.status, cli.output).toBe(0)
    expect(JSON.parse(cli.output)).toMatchObject({ reference: "BK-3", status: "active" })
  }, 180_000)

  it("next to effect@4: npm reports the peer conflict at install, instead of a crash at run time", async () => {
    const app = freshApp("app-effect-4")
    dirs.push(app)
    const effect4 = await run("npm", ["install", "--loglevel=warn", "effect@4"], app)
    expect(effect4.status, effect4.output).toBe(0)
    const install = await run("npm", ["install", "--loglevel=warn", ...tarballs], app)
    expect(install.status).not.toBe(0)
    expect(install.output).toContain("ERESOLVE")
    expect(install.output).toContain("Found: effect@4")
    // Whichever of our peers npm reaches first (ours, or @effect/platform's): Effect 3.22 is wanted.
    expect(install.output).toMatch(/peer effect@"\^3\.22\.\d+" from @(pasarela|effect)\//)
    expect(existsSync(join(app, "node_modules/@pasarela"))).toBe(false)
    // Forced anyway, npm still warns about the same peer, and nests no second Effect.
    const forced = await run("npm", ["install", "--loglevel=warn", "--force", ...tarballs], app)
    expect(forced.status, forced.output).toBe(0)
    expect(forced.output).toMatch(/npm warn .*peer effect@"\^3\.22\.\d+"/)
    expect(existsSync(join(app, "node_modules/@pasarela/core/node_modules/effect"))).toBe(false)
  }, 180_000)
})
