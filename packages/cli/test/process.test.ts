/**
 * The built `pasarela` command in real processes: what a person sees on a terminal or a script
 * reads from a pipe, and which modules each command loads.
 */
import { execFile, execFileSync } from "node:child_process"
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs"
import { createRequire } from "node:module"
import { createServer, type Server } from "node:net"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { fileURLToPath } from "node:url"
import { afterAll, beforeAll, describe, expect, it } from "vitest"

const packageDir = fileURLToPath(new URL("..", import.meta.url))
const bin = join(packageDir, "bin", "pasarela.js")
const recorder = join(packageDir, "test", "fixtures", "record-modules.mjs")
const dir = mkdtempSync(join(tmpdir(), "pasarela-cli-process-"))
/** The escape that starts every ANSI colour or style. */
const ESC = String.fromCharCode(27)
const ansi = new RegExp(`${ESC}\\[`)
const styles = new RegExp(`${ESC}\\[[0-9;]*m`, "g")

interface Result {
  readonly code: number
  readonly stdout: string
  readonly stderr: string
}

/** Runs the built CLI with `args`, stdout and stderr piped (not a terminal). */
const pasarela = (args: ReadonlyArray<string>, env: Record<string, string> = {}) =>
  new Promise<Result>((resolve) => {
    execFile(
      process.execPath,
      [bin, ...args],
      { env: { ...process.env, NODE_OPTIONS: "", ...env }, timeout: 60_000 },
      (error, stdout, stderr) => resolve({ code: error === null ? 0 : Number(error.code ?? 1), stdout, stderr })
    )
  })

/** The modules a command loads, by URL. */
const modulesLoadedBy = async (args: ReadonlyArray<string>) => {
  const log = join(dir, `modules-${Math.random().toString(36).slice(2)}.log`)
  writeFileSync(log, "")
  const result = await new Promise<Result>((resolve) => {
    execFile(
      process.execPath,
      ["--import", recorder, bin, ...args],
      { env: { ...process.env, NODE_OPTIONS: "", PASARELA_MODULES_LOG: log }, timeout: 60_000 },
      (error, stdout, stderr) => resolve({ code: error === null ? 0 : Number(error.code ?? 1), stdout, stderr })
    )
  })
  return {
    result,
    modules: readFileSync(log, "utf8")
      .split("\n")
      .filter((line) => line !== "")
  }
}

/** The simulators' server modules (the test cards alone are light, and listed in a help text). */
const simulators = /\/sandbox\/dist\/(index|Sandbox|AutocoreSandbox|PlacetoPaySandbox)\.js$/

const missingConfig = join(dir, "missing.json")
let busy: Server
let busyPort = 0

beforeAll(async () => {
  // The tests run the CLI as built: build it (a no-op when it is up to date).
  const tsc = createRequire(import.meta.url).resolve("typescript/bin/tsc")
  execFileSync(process.execPath, [tsc, "-b", join(packageDir, "tsconfig.src.json")], { stdio: "inherit" })
  busy = createServer()
  await new Promise<void>((resolve) => busy.listen(0, "127.0.0.1", resolve))
  busyPort = (busy.address() as { port: number }).port
}, 300_000)

afterAll(() => new Promise<void>((resolve) => busy.close(() => resolve())))

describe("the built pasarela command", () => {
  it("answers --version from package.json, loading nothing else", async () => {
    const { version } = JSON.parse(readFileSync(join(packageDir, "package.json"), "utf8")) as { version: string }
    const { result, modules } = await modulesLoadedBy(["--version"])
    expect(result).toMatchObject({ code: 0, stdout: `${version}\n` })
    expect(modules.filter((url) => url.includes("/node_modules/"))).toEqual([])
    expect(modules.filter((url) => url.includes("/packages/") && !url.includes("/packages/cli/"))).toEqual([])
  })

  it("loads the simulators for `sandbox` only", async () => {
    const links = await modulesLoadedBy(["links", "get", "--config", missingConfig, "--id", "x"])
    expect(links.result.code).toBe(1)
    expect(links.modules.some((url) => url.includes("/packages/core/"))).toBe(true)
    expect(links.modules.filter((url) => simulators.test(url))).toEqual([])
    const help = await modulesLoadedBy(["charges", "create", "--help"])
    expect(help.result.stdout.replace(/\s+/g, " ")).toContain("4111111111111111 approved")
    expect(help.modules.filter((url) => simulators.test(url))).toEqual([])
    expect(help.modules.some((url) => url.includes("/packages/pasarela/"))).toBe(false)
    const sandbox = await modulesLoadedBy(["sandbox", "--port", String(busyPort)])
    expect(sandbox.modules.some((url) => simulators.test(url))).toBe(true)
  })

  it("piped: help without colours, wrapped to 80 columns, usage with the full command path", async () => {
    for (const command of [[], ["links"], ["links", "create"], ["charges", "create"], ["orders", "create"]]) {
      const { code, stdout } = await pasarela([...command, "--help"])
      expect(code).toBe(0)
      expect(stdout).not.toMatch(ansi)
      expect(Math.max(...stdout.split("\n").map((line) => line.length))).toBeLessThanOrEqual(80)
      expect(stdout).toMatch(new RegExp(`^${["pasarela", ...command].join(" ")}( |$)`, "m"))
    }
    const usage = (await pasarela(["links", "create", "--help"])).stdout
    expect(usage).toMatch(/^USAGE\n\npasarela links create \[\(-c, --config text\)\]/m)
    expect(usage).not.toContain("$ create")
  })

  it("on a terminal: help wrapped to its width, in colour unless NO_COLOR is set", () => {
    // `script` gives the command a terminal (a pseudo-terminal 60 columns wide).
    const onTerminal = (env: string) =>
      execFileSync(
        "script",
        [
          "-qec",
          `stty cols 60; ${env} ${JSON.stringify(process.execPath)} ${JSON.stringify(bin)} links create --help`,
          "/dev/null"
        ],
        { encoding: "utf8", env: { ...process.env, NODE_OPTIONS: "", NO_COLOR: "" } }
      ).replace(/\r/g, "")
    const coloured = onTerminal("")
    expect(coloured).toMatch(ansi)
    const lines = coloured.replace(styles, "").split("\n")
    expect(Math.max(...lines.map((line) => line.length))).toBeLessThanOrEqual(60)
    expect(lines.some((line) => line.length > 50)).toBe(true)
    expect(onTerminal("NO_COLOR=1")).not.toMatch(ansi)
  })

  it("--json: stdout carries JSON alone, failures included, with the exit code", async () => {
    const missing = await pasarela(["links", "get", "--json", "--config", missingConfig, "--id", "x"])
    expect(missing.code).toBe(1)
    expect(missing.stderr).toBe("")
    expect(JSON.parse(missing.stdout)).toEqual({
      error: {
        reason: "Configuration",
        message: expect.stringContaining(`${missingConfig}: cannot be read: ENOENT`),
        hint: expect.any(String)
      }
    })
    const usage = await pasarela(["links", "create", "--json", "--config", missingConfig])
    expect(usage.code).toBe(2)
    expect(JSON.parse(usage.stdout).error).toMatchObject({
      reason: "Usage",
      message: expect.stringContaining("--merchant"),
      hint: expect.stringContaining("--help")
    })
    const unknown = await pasarela(["links", "create", "--json", "--nope"])
    expect(unknown.code).toBe(2)
    expect(JSON.parse(unknown.stdout).error.reason).toBe("Usage")
  })

  it("without --json: one error line and a hint on stderr, nothing on stdout", async () => {
    const missing = await pasarela(["links", "get", "--config", missingConfig, "--id", "x"])
    expect(missing).toMatchObject({ code: 1, stdout: "" })
    expect(missing.stderr).toBe(
      `error: pasarela configure: configuration: ${missingConfig}: cannot be read: ENOENT: no such file or directory\nhint: check the config file and that the environment variables it names are set\n`
    )
    const usage = await pasarela(["links", "create"])
    expect(usage).toMatchObject({ code: 2, stdout: "" })
    expect(usage.stderr).toContain("--merchant")
    expect(usage.stderr).not.toMatch(ansi)
  })

  it("a port in use says so, with no hint about environment variables", async () => {
    const result = await pasarela(["sandbox", "--port", String(busyPort)])
    expect(result.code).toBe(1)
    expect(result.stderr).toContain(`port ${busyPort} is in use`)
    expect(result.stderr).not.toContain("environment variable")
    expect(result.stderr).toMatch(/^hint: .*--port/m)
  })
})
