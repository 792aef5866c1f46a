/**
 * Cold start and bundle size.
 *
 * - Cold start: a fresh `node` process imports `pasarela` and creates its first link on the
 *   in-memory provider (`fixtures/cold-start.ts`), `RUNS` times; medians. Two ways: from source
 *   (tsx's loader with the `@pasarela/source` condition, as every bench runs; tsx transpiles on the
 *   fly, from its cache after the first run), and as an esbuild bundle on plain `node` (what a
 *   bundled app or a serverless function pays). `dist` is not used: it is only as fresh as the last
 *   `pnpm build`.
 * - Bundle size: esbuild (bundle, minify, platform node, ESM, `@pasarela/source` condition) of
 *   `fixtures/placetopay-link.ts` (one PlacetoPay link through the adapter) and
 *   `fixtures/pasarela-link.ts` (the same through `createPasarela`, every provider included),
 *   gzip (node:zlib, level 9).
 *
 *   pnpm exec tsx --conditions=@pasarela/source bench/cold-start.ts
 */
import { execFile } from "node:child_process"
import { mkdtemp, rm, writeFile } from "node:fs/promises"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { gzipSync } from "node:zlib"
import * as Effect from "effect/Effect"
import { build } from "esbuild"
import {
  benchSources,
  isEntryPoint,
  type Measurement,
  median,
  progress,
  repoRoot,
  runAlone,
  tsxNodeArgs
} from "./support.js"

const RUNS = 5
const PROCESS_TIMEOUT_MS = 60_000

/** Children start clean: no loader or flags inherited through NODE_OPTIONS. */
const cleanEnv = { ...process.env, NODE_OPTIONS: "" }

/** Fixtures as TypeScript sources: esbuild bundles them, and tsx runs one from source. */
const fixture = (name: string) => join(benchSources, "fixtures", name)

/** ESM bundles of CommonJS dependencies (undici, crypto-js) need `require`. */
const requireShim = 'import { createRequire as __pasarelaCreateRequire } from "node:module";'.concat(
  "const require = __pasarelaCreateRequire(import.meta.url);"
)

interface Bundle {
  readonly code: Uint8Array
  /** Output bytes per package, largest first. */
  readonly packages: ReadonlyArray<readonly [string, number]>
}

/** `…/node_modules/.pnpm/x/node_modules/@effect/platform/dist/…` → `@effect/platform`; `packages/core/src/…` → `@pasarela/core`. */
const packageOf = (path: string): string => {
  const inModules = /node_modules\/((?:@[^/]+\/)?[^/]+)\/(?!.*node_modules\/)/.exec(path)
  if (inModules !== null) return inModules[1]!
  const workspace = /(?:^|\/)packages\/([^/]+)\//.exec(path)
  if (workspace !== null) return workspace[1] === "pasarela" ? "pasarela" : `@pasarela/${workspace[1]}`
  return "(app)"
}

const bundle = async (entry: string): Promise<Bundle> => {
  const result = await build({
    entryPoints: [entry],
    bundle: true,
    minify: true,
    platform: "node",
    format: "esm",
    target: "node20",
    conditions: ["@pasarela/source"],
    banner: { js: requireShim },
    write: false,
    metafile: true,
    logLevel: "silent"
  })
  const output = result.outputFiles[0]
  if (output === undefined) throw new Error(`esbuild wrote nothing for ${entry}`)
  const bytes = new Map<string, number>()
  for (const out of Object.values(result.metafile.outputs)) {
    for (const [path, input] of Object.entries(out.inputs)) {
      const name = packageOf(path)
      bytes.set(name, (bytes.get(name) ?? 0) + input.bytesInOutput)
    }
  }
  return { code: output.contents, packages: [...bytes].sort((a, b) => b[1] - a[1]) }
}

interface ChildTimes {
  readonly wallMs: number
  readonly importMs: number
  readonly firstLinkMs: number
  readonly sinceStartMs: number
}

/** Runs `node args…` once; its wall time (spawn to exit) and what it reports. */
const timeProcess = (args: ReadonlyArray<string>) =>
  new Promise<ChildTimes>((resolve, reject) => {
    const start = performance.now()
    execFile(
      process.execPath,
      [...args],
      { cwd: repoRoot, timeout: PROCESS_TIMEOUT_MS, env: cleanEnv },
      (error, stdout, stderr) => {
        const wallMs = performance.now() - start
        if (error !== null) return reject(new Error(`${args.join(" ")} failed: ${stderr || error.message}`))
        try {
          const reported = JSON.parse(stdout.trim().split("\n").pop() ?? "") as Omit<ChildTimes, "wallMs">
          resolve({ wallMs, ...reported })
        } catch {
          reject(new Error(`${args.join(" ")} printed no timings: ${stdout}`))
        }
      }
    )
  })

const timeBare = (args: ReadonlyArray<string>) =>
  new Promise<number>((resolve, reject) => {
    const start = performance.now()
    execFile(process.execPath, [...args], { cwd: repoRoot, timeout: PROCESS_TIMEOUT_MS, env: cleanEnv }, (error) =>
      error === null ? resolve(performance.now() - start) : reject(error)
    )
  })

const repeat = async <A>(runs: number, once: () => Promise<A>): Promise<ReadonlyArray<A>> => {
  const results: Array<A> = []
  for (let i = 0; i < runs; i++) results.push(await once())
  return results
}

const coldStartRow = (name: string, runs: ReadonlyArray<ChildTimes>, how: string, bare: number): Measurement => ({
  name: `cold start: ${name}`,
  value: median(runs.map((r) => r.wallMs)),
  unit: "ms",
  notes:
    `median of ${runs.length}, spawn → exit; ${how}; import ${Math.round(median(runs.map((r) => r.importMs)))} ms, ` +
    `first link ${Math.round(median(runs.map((r) => r.firstLinkMs)))} ms; bare node ${Math.round(bare)} ms`
})

const kib = (bytes: number) => bytes / 1024

const sizeRows = (label: string, { code, packages }: Bundle): ReadonlyArray<Measurement> => {
  const gzipped = gzipSync(code, { level: 9 }).length
  const largest = packages
    .slice(0, 5)
    .map(([name, bytes]) => `${name} ${Math.round(kib(bytes))}`)
    .join(", ")
  return [
    {
      name: `bundle: ${label}, minified`,
      value: kib(code.length),
      unit: "KiB",
      notes: `${code.length} B; largest (KiB): ${largest}`
    },
    { name: `bundle: ${label}, gzipped`, value: kib(gzipped), unit: "KiB", notes: `${gzipped} B, gzip -9` }
  ]
}

export const run: Effect.Effect<ReadonlyArray<Measurement>, unknown> = Effect.tryPromise(async () => {
  progress("cold-start: bundles")
  const placetopay = await bundle(fixture("placetopay-link.ts"))
  const batteries = await bundle(fixture("pasarela-link.ts"))
  const coldBundle = await bundle(fixture("cold-start.ts"))

  const dir = await mkdtemp(join(tmpdir(), "pasarela-bench-"))
  try {
    const bundled = join(dir, "cold-start.mjs")
    await writeFile(bundled, coldBundle.code)
    progress(`cold-start: ${RUNS} fresh processes each way`)
    const bare = median(await repeat(RUNS, () => timeBare(["-e", "0"])))
    // One unmeasured run fills tsx's transform cache, as any second start of an app would find it.
    await timeProcess(tsxNodeArgs(fixture("cold-start.ts")))
    const fromSource = await repeat(RUNS, () => timeProcess(tsxNodeArgs(fixture("cold-start.ts"))))
    const fromBundle = await repeat(RUNS, () => timeProcess([bundled]))
    return [
      coldStartRow(
        "import pasarela + first memory link, tsx from source",
        fromSource,
        "node --import tsx --conditions=@pasarela/source, tsx cache warm",
        bare
      ),
      coldStartRow(
        "import pasarela + first memory link, esbuild bundle",
        fromBundle,
        `plain node on a ${Math.round(kib(coldBundle.code.length))} KiB minified bundle`,
        bare
      ),
      ...sizeRows("one PlacetoPay link via @pasarela/placetopay", placetopay),
      ...sizeRows("one PlacetoPay link via pasarela (createPasarela)", batteries)
    ]
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
})

if (isEntryPoint(import.meta.url)) runAlone(run)
