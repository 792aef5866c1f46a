/**
 * The built `pasarela` command's start-up, against a bare `node -e 0` (fresh processes, medians):
 * `--version` (loads nothing but its version), `links create --help` (the command line, no
 * command's work), and `links get` on a PlacetoPay link of the sandbox, next to the same `get`
 * made in one warm process (the request itself). Uses `packages/cli/bin/pasarela.js` as built by
 * `pnpm build`.
 *
 *   pnpm build && node bench/dist/cli.js
 */
import { execFile } from "node:child_process"
import { mkdtemp, rm, writeFile } from "node:fs/promises"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { Money } from "@pasarela/core"
import { Sandbox } from "@pasarela/sandbox"
import * as Effect from "effect/Effect"
import { createPasarela } from "pasarela"
import { isEntryPoint, type Measurement, median, progress, repoRoot, runAlone } from "./support.js"

const RUNS = 7
const bin = join(repoRoot, "packages", "cli", "bin", "pasarela.js")
const secret = "sandbox-secret-1001-NOT-A-REAL-KEY"
/** Children start clean (no loader inherited through NODE_OPTIONS), with the merchant's secret. */
const env = { ...process.env, NODE_OPTIONS: "", BENCH_PLACETOPAY_SECRET: secret }

/** Milliseconds from spawn to exit of `node …args`. */
const timed = (args: ReadonlyArray<string>) =>
  new Promise<number>((resolve, reject) => {
    const start = performance.now()
    execFile(process.execPath, [...args], { cwd: repoRoot, env, timeout: 60_000 }, (error, _stdout, stderr) =>
      error === null ? resolve(performance.now() - start) : reject(new Error(`${args.join(" ")}: ${stderr}`))
    )
  })

const medianOf = async (args: ReadonlyArray<string>): Promise<number> => {
  const runs: Array<number> = []
  for (let i = 0; i < RUNS; i++) runs.push(await timed(args))
  return median(runs)
}

const row = (name: string, ms: number, bare: number, notes: string): Measurement => ({
  name: `cli: ${name}`,
  value: ms,
  unit: "ms",
  notes: `median of ${RUNS} processes, ${(ms / bare).toFixed(1)}× bare node (${Math.round(bare)} ms); ${notes}`
})

export const run: Effect.Effect<ReadonlyArray<Measurement>, unknown> = Effect.scoped(
  Effect.gen(function* () {
    const sandbox = yield* Sandbox.serve()
    const dir = yield* Effect.acquireRelease(
      Effect.promise(() => mkdtemp(join(tmpdir(), "pasarela-bench-cli-"))),
      (path) => Effect.promise(() => rm(path, { recursive: true, force: true }))
    )
    const settings = {
      merchants: {
        "hotel-bogota": {
          provider: "placetopay",
          options: { login: "sandbox-login-site-1001", baseUrl: sandbox.baseUrl },
          secrets: { secretKey: "BENCH_PLACETOPAY_SECRET" }
        }
      }
    }
    const config = join(dir, "pasarela.json")
    yield* Effect.promise(() => writeFile(config, JSON.stringify(settings)))
    return yield* Effect.promise(async () => {
      process.env.BENCH_PLACETOPAY_SECRET = secret
      const client = await createPasarela(settings)
      const link = await client.links.create({
        merchantId: "hotel-bogota",
        reference: "BENCH-CLI-1",
        description: "bench",
        amount: Money.make("1000", "COP"),
        expiresIn: "1 hour"
      })
      progress(`cli: ${RUNS} fresh processes each`)
      const bare = await medianOf(["-e", "0"])
      const version = await medianOf([bin, "--version"])
      const help = await medianOf([bin, "links", "create", "--help"])
      const get = await medianOf([bin, "links", "get", "--config", config, "--id", link.id, "--json"])
      await client.links.get(link.id)
      const requests: Array<number> = []
      for (let i = 0; i < RUNS; i++) {
        const start = performance.now()
        await client.links.get(link.id)
        requests.push(performance.now() - start)
      }
      const request = median(requests)
      return [
        row("--version", version, bare, "target: within 2× bare node"),
        row("links create --help", help, bare, "parses the command line, loads no command's work"),
        row(
          "links get (PlacetoPay, sandbox)",
          get,
          bare,
          `the request alone ${request.toFixed(1)} ms in a warm process; target: within 3× bare node + the request (${Math.round(3 * bare + request)} ms)`
        )
      ]
    })
  })
)

if (isEntryPoint(import.meta.url)) runAlone(run)
