/**
 * The same smoke program (`runtimes/smoke.js`) on every JavaScript server runtime Pasarela supports:
 * Node (this one), Bun, Deno and Cloudflare's workerd (through Miniflare), each from its npm package
 * pinned in this package. The sandbox and an endpoint that captures what it notifies run here, on
 * loopback; the program creates a PlacetoPay link and an Autocore charge, feeds both notifications to
 * `webhooks.handle`, delivers one again and closes, and prints what happened.
 *
 * A runtime whose binary does not start is skipped with the reason printed; CI sets
 * PASARELA_REQUIRE_RUNTIMES=1, making that a failure.
 */
import { spawn, spawnSync } from "node:child_process"
import { createServer, type Server } from "node:http"
import type { AddressInfo } from "node:net"
import { fileURLToPath } from "node:url"
import { afterEach, beforeAll, describe, expect, it } from "@effect/vitest"
import { PasarelaSetup, Sandbox } from "@pasarela/sandbox"
import * as esbuild from "esbuild"
import { Miniflare } from "miniflare"

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url))
const root = here("../..")
const bin = (name: string) => here(`../node_modules/.bin/${name}`)
const main = here("../runtimes/main.js")
const required = process.env.PASARELA_REQUIRE_RUNTIMES === "1"

/** How each runtime runs `main.js` (Deno resolves packages from the pnpm node_modules). */
const commands = {
  node: [process.execPath, main],
  bun: [bin("bun"), "run", main],
  deno: [bin("deno"), "run", "--node-modules-dir=manual", "--allow-net", "--allow-env", "--allow-read", main]
} as const

/** Why a runtime cannot run here, or undefined when its binary starts. */
const missing = (command: string): string | undefined => {
  const run = spawnSync(command, ["--version"], { encoding: "utf8", timeout: 60_000 })
  if (run.status === 0) return undefined
  return `${command} --version failed: ${run.error?.message ?? `${run.stdout}${run.stderr}`.trim()}`
}
const unavailable: Record<keyof typeof commands, string | undefined> = {
  node: undefined,
  bun: missing(commands.bun[0]),
  deno: missing(commands.deno[0])
}
for (const [runtime, reason] of Object.entries(unavailable)) {
  if (reason !== undefined) console.log(`${runtime} smoke test ${required ? "fails" : "skipped"}: ${reason}`)
}

interface Delivery {
  readonly path: string
  readonly headers: Record<string, string>
  readonly body: string
}

/** The sandbox, and where it sends notifications: an endpoint that keeps them for the program. */
const serve = async () => {
  const sandbox = await Sandbox.start()
  const deliveries: Array<Delivery> = []
  const capture: Server = createServer((request, response) => {
    const chunks: Array<Buffer> = []
    request.on("data", (chunk: Buffer) => chunks.push(chunk))
    request.on("end", () => {
      if (request.method === "GET" && request.url === "/captured") {
        response.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(deliveries))
        return
      }
      const headers: Record<string, string> = {}
      for (const [name, value] of Object.entries(request.headers)) {
        if (typeof value === "string" && !["host", "content-length", "connection"].includes(name)) headers[name] = value
      }
      deliveries.push({ path: request.url ?? "/", headers, body: Buffer.concat(chunks).toString("utf8") })
      response.writeHead(200).end("ok")
    })
  })
  await new Promise<void>((resolve) => capture.listen(0, "127.0.0.1", resolve))
  const captureUrl = `http://127.0.0.1:${(capture.address() as AddressInfo).port}`
  const close = async () => {
    await new Promise((resolve) => capture.close(resolve))
    await sandbox.close()
  }
  // The sandbox's two hotels, notifying the capture server: handed to the program as JSON.
  const setup = JSON.stringify({
    config: PasarelaSetup.config(sandbox.baseUrl, { publicBaseUrl: `${captureUrl}/webhooks` }),
    env: PasarelaSetup.env()
  })
  return { sandboxUrl: sandbox.baseUrl, captureUrl, setup, close }
}

/** Runs a command to its end without blocking this process (which serves the sandbox meanwhile). */
const run = (command: ReadonlyArray<string>, env: Record<string, string>) =>
  new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve, reject) => {
    const [file, ...args] = command
    const child = spawn(file ?? "", args, { cwd: here(".."), env: { ...process.env, ...env } })
    let stdout = ""
    let stderr = ""
    child.stdout.on("data", (chunk) => {
      stdout += chunk
    })
    child.stderr.on("data", (chunk) => {
      stderr += chunk
    })
    child.on("error", reject)
    child.on("close", (status) => resolve({ status, stdout, stderr }))
  })

/** The worker as Wrangler bundles one: esbuild, the workerd and worker export conditions. */
const workerScript = async () => {
  const result = await esbuild.build({
    entryPoints: [here("../runtimes/worker.js")],
    bundle: true,
    write: false,
    format: "esm",
    platform: "neutral",
    conditions: ["workerd", "worker", "browser"],
    mainFields: ["browser", "module", "main"],
    logLevel: "silent"
  })
  return result.outputFiles[0]?.text ?? ""
}

let servers: { sandboxUrl: string; captureUrl: string; setup: string; close: () => Promise<void> } | undefined
beforeAll(() => {
  // The program imports the packages as an app does: their built dist (a no-op when `pnpm build` ran).
  const build = spawnSync(process.execPath, [`${root}node_modules/typescript/bin/tsc`, "-b", "packages/pasarela"], {
    cwd: root,
    encoding: "utf8"
  })
  expect(build.status, `${build.stdout}${build.stderr}`).toBe(0)
}, 180_000)
afterEach(async () => {
  await servers?.close()
  servers = undefined
})

const expectSmoke = (result: unknown, runtime: string) =>
  expect(result).toEqual({
    runtime,
    link: { provider: "placetopay", status: "active" },
    charge: { provider: "autocore", outcome: "pending" },
    notifications: ["/webhooks/hotel-bogota/placetopay", "/webhooks/hotel-cartagena/autocore"],
    handled: [200, 200],
    redelivered: 200,
    events: [
      { provider: "placetopay", type: "payment.approved", reference: "RT-LINK-1" },
      { provider: "autocore", type: "payment.approved", reference: "RT-CHARGE-1" }
    ],
    duplicateHandled: false
  })

describe("the smoke program on each runtime", () => {
  for (const runtime of ["node", "bun", "deno"] as const) {
    it.skipIf(unavailable[runtime] !== undefined && !required)(runtime, async () => {
      expect(unavailable[runtime], `${runtime} is required here`).toBeUndefined()
      servers = await serve()
      const result = await run(commands[runtime], {
        SMOKE_SANDBOX_URL: servers.sandboxUrl,
        SMOKE_CAPTURE_URL: servers.captureUrl,
        SMOKE_SETUP: servers.setup
      })
      expect(result.status, `${result.stdout}${result.stderr}`).toBe(0)
      expectSmoke(JSON.parse(result.stdout.trim().split("\n").at(-1) ?? ""), runtime)
    })
  }

  it("workerd (Miniflare)", async () => {
    servers = await serve()
    const worker = new Miniflare({
      modules: true,
      script: await workerScript(),
      compatibilityDate: "2026-07-30",
      bindings: {
        SMOKE_SANDBOX_URL: servers.sandboxUrl,
        SMOKE_CAPTURE_URL: servers.captureUrl,
        SMOKE_SETUP: servers.setup
      }
    })
    try {
      const response = await worker.dispatchFetch("http://localhost/")
      const text = await response.text()
      expect(response.status, text).toBe(200)
      expectSmoke(JSON.parse(text), "workerd")
      // The worker build resolves the store's backends to layers that say they need a server runtime.
      const store = await (await worker.dispatchFetch("http://localhost/embedded-store")).json()
      expect(store).toEqual({
        reason: "Configuration",
        message: expect.stringContaining("embedded and postgres stores need Node, Bun or Deno")
      })
    } finally {
      await worker.dispose()
    }
  })
})
