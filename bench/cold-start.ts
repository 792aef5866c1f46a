/**
 * Start-up and footprint, as an app installs the packages: `pnpm pack` each package, `npm install`
 * the tarballs into a fresh app directory (with the exact Effect versions the workspace pins), then
 * in that app, all in one run on the same machine:
 *
 * - Cold start: fresh `node` processes, `RUNS` each, interleaved, medians of wall time (spawn →
 *   exit), CPU time and peak RSS (`process.resourceUsage()` at exit): a bare node process, Effect's
 *   own module graphs (what any Effect app pays: the floor under ours), and `import pasarela` + the
 *   first memory link (`fixtures/installed/first-link.mjs`), as installed and as an esbuild bundle
 *   of the same program (what a bundled app or a serverless function runs). The ratios to bare node
 *   are printed next to the targets; on a busy machine the CPU ratio is the steadier one.
 * - Bundle size: esbuild (bundle, minify, ESM, platform node) of the smallest program creating one
 *   link (`fixtures/installed/link.mjs`) for each provider on each HTTP client, gzip level 9, with
 *   the packages that weigh most.
 *
 *   pnpm build && node bench/dist/cold-start.js
 */
import { execFile } from "node:child_process"
import { copyFile, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { promisify } from "node:util"
import { gzipSync } from "node:zlib"
import * as Effect from "effect/Effect"
import { build } from "esbuild"
import { benchSources, isEntryPoint, type Measurement, median, progress, repoRoot, runAlone } from "./support.js"

const RUNS = 11
const PROCESS_TIMEOUT_MS = 60_000
const INSTALL_TIMEOUT_MS = 300_000

/** The issue's targets: start-up against bare node, and the PlacetoPay program on fetch. */
const TARGET_TIME_RATIO = 3
const TARGET_RSS_RATIO = 2
const TARGET_FETCH_BUNDLE_KIB = 120

/** What an app installs to run pasarela (its dependencies among our packages included). */
const PACKAGES = ["core", "memory", "placetopay", "autocore", "node", "store", "pasarela"]

const exec = promisify(execFile)

/** Children start clean: no loader or flags inherited through NODE_OPTIONS, no pnpm npm settings. */
const cleanEnv = {
  ...Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith("npm_config_"))),
  NODE_OPTIONS: "",
  npm_config_fund: "false",
  npm_config_audit: "false",
  npm_config_update_notifier: "false"
}

const installedFixtures = join(benchSources, "fixtures", "installed")

/** The exact version the workspace pins for a dependency of ours (the app installs the same). */
const pinned = async (name: string): Promise<string> => {
  const manifest = JSON.parse(await readFile(join(repoRoot, "packages/pasarela/package.json"), "utf8")) as {
    readonly devDependencies: Record<string, string>
  }
  const version = manifest.devDependencies[name]
  if (version === undefined) throw new Error(`pasarela pins no ${name}`)
  return `${name}@${version}`
}

/** Packs the packages and installs the tarballs with npm into a new app directory. */
const installApp = async (dir: string): Promise<string> => {
  const packed = join(dir, "packed")
  const app = join(dir, "app")
  for (const name of PACKAGES) {
    await exec("pnpm", ["pack", "--pack-destination", packed], { cwd: join(repoRoot, "packages", name), env: cleanEnv })
  }
  const tarballs = (await readdir(packed)).map((file) => join(packed, file))
  await mkdir(app)
  await writeFile(join(app, "package.json"), JSON.stringify({ name: "cold-start-app", private: true, type: "module" }))
  await exec(
    "npm",
    [
      "install",
      "--loglevel=error",
      "--prefer-offline",
      ...tarballs,
      await pinned("effect"),
      await pinned("@effect/platform")
    ],
    { cwd: app, env: cleanEnv, timeout: INSTALL_TIMEOUT_MS }
  )
  for (const file of await readdir(installedFixtures)) await copyFile(join(installedFixtures, file), join(app, file))
  return app
}

interface Sample {
  readonly wallMs: number
  readonly cpuMs: number
  readonly maxRssKiB: number
  readonly importMs?: number
  readonly firstLinkMs?: number
}

/** Runs `node args…` once in the app; its wall time and what it printed last (JSON). */
const sample = async (app: string, args: ReadonlyArray<string>): Promise<Sample> => {
  const start = performance.now()
  const { stdout } = await exec(process.execPath, [...args], { cwd: app, env: cleanEnv, timeout: PROCESS_TIMEOUT_MS })
  const wallMs = performance.now() - start
  return { wallMs, ...(JSON.parse(stdout.trim().split("\n").pop() ?? "") as Omit<Sample, "wallMs">) }
}

interface Startup {
  readonly wallMs: number
  readonly cpuMs: number
  readonly maxRssKiB: number
  readonly importMs: number
  readonly firstLinkMs: number
}

const medians = (samples: ReadonlyArray<Sample>): Startup => ({
  wallMs: median(samples.map((s) => s.wallMs)),
  cpuMs: median(samples.map((s) => s.cpuMs)),
  maxRssKiB: median(samples.map((s) => s.maxRssKiB)),
  importMs: median(samples.map((s) => s.importMs ?? Number.NaN)),
  firstLinkMs: median(samples.map((s) => s.firstLinkMs ?? Number.NaN))
})

const BUNDLED_FIRST_LINK = "first-link.bundle.mjs"

/** The programs whose start-up is measured, in the same app: bare node first. */
const STARTUPS: ReadonlyArray<readonly [string, ReadonlyArray<string>]> = [
  ["bare node", ["imports.mjs"]],
  ["import effect/Effect", ["imports.mjs", "effect/Effect"]],
  [
    "import effect/Effect, effect/Schema, @effect/platform/HttpClient",
    ["imports.mjs", "effect/Effect", "effect/Schema", "@effect/platform/HttpClient"]
  ],
  ["import pasarela + first memory link", ["first-link.mjs"]],
  ["import pasarela + first memory link, esbuild bundle", [BUNDLED_FIRST_LINK]]
]

/** Each program `RUNS` times, interleaved, so a busy moment of the machine hits them all alike. */
const measureStartups = async (app: string): Promise<ReadonlyArray<Startup>> => {
  const samples: Array<Array<Sample>> = STARTUPS.map(() => [])
  for (let i = 0; i < RUNS; i++) {
    for (const [at, [, args]] of STARTUPS.entries()) samples[at]!.push(await sample(app, args))
  }
  return samples.map(medians)
}

/** `2.10× bare node`, and against the target when there is one. */
const ratio = (value: number, bare: number, target?: number) =>
  `${(value / bare).toFixed(2)}× bare node${target === undefined ? "" : ` (target ≤ ${target}×: ${value / bare <= target ? "met" : "NOT met"})`}`

const startupRows = (startups: ReadonlyArray<Startup>): ReadonlyArray<Measurement> => {
  const bare = startups[0]!
  return startups.flatMap((startup, at) => {
    const name = STARTUPS[at]![0]
    const isOurs = name.startsWith("import pasarela")
    const split = isOurs
      ? `; import ${Math.round(startup.importMs)} ms, first link ${Math.round(startup.firstLinkMs)} ms`
      : ""
    return [
      {
        name: `cold start: ${name}, time`,
        value: startup.wallMs,
        unit: "ms",
        notes: `median of ${RUNS}, spawn → exit${split}; ${at === 0 ? "the reference" : ratio(startup.wallMs, bare.wallMs, isOurs ? TARGET_TIME_RATIO : undefined)}`
      },
      {
        name: `cold start: ${name}, CPU`,
        value: startup.cpuMs,
        unit: "ms",
        notes: `median of ${RUNS}, user + system; ${at === 0 ? "the reference" : ratio(startup.cpuMs, bare.cpuMs, isOurs ? TARGET_TIME_RATIO : undefined)}`
      },
      {
        name: `cold start: ${name}, peak RSS`,
        value: startup.maxRssKiB / 1024,
        unit: "MiB",
        notes: `median of ${RUNS}; ${at === 0 ? "the reference" : ratio(startup.maxRssKiB, bare.maxRssKiB, isOurs ? TARGET_RSS_RATIO : undefined)}`
      }
    ]
  })
}

/** `…/node_modules/@effect/platform/dist/…` → `@effect/platform`; the app's own files → `(app)`. */
const packageOf = (path: string): string =>
  /node_modules\/((?:@[^/]+\/)?[^/]+)\/(?!.*node_modules\/)/.exec(path)?.[1] ?? "(app)"

/** ESM bundles of CommonJS dependencies (undici, crypto-js) need `require`. */
const requireShim =
  'import { createRequire as __pasarelaCreateRequire } from "node:module";const require = __pasarelaCreateRequire(import.meta.url);'

const kib = (bytes: number) => bytes / 1024

/** esbuild, as an app bundles: bundle, minify, ESM, for node. */
const bundle = async (app: string, entry: string) => {
  const result = await build({
    entryPoints: [join(app, entry)],
    absWorkingDir: app,
    bundle: true,
    minify: true,
    platform: "node",
    format: "esm",
    target: "node20",
    banner: { js: requireShim },
    write: false,
    metafile: true,
    logLevel: "silent"
  })
  return { code: result.outputFiles[0]!.contents, metafile: result.metafile }
}

const bundleRow = async (app: string, provider: string, client: string): Promise<Measurement> => {
  const program = (await readFile(join(app, "link.mjs"), "utf8"))
    .replace('"CLIENT"', `"./client-${client}.mjs"`)
    .replace('"PROVIDER"', `"./provider-${provider}.mjs"`)
  const entry = `link-${provider}-${client}.mjs`
  await writeFile(join(app, entry), program)
  const { code, metafile } = await bundle(app, entry)
  const gzipped = gzipSync(code, { level: 9 }).length
  const bytes = new Map<string, number>()
  for (const output of Object.values(metafile.outputs)) {
    for (const [path, input] of Object.entries(output.inputs)) {
      bytes.set(packageOf(path), (bytes.get(packageOf(path)) ?? 0) + input.bytesInOutput)
    }
  }
  const largest = [...bytes]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 6)
    .map(([name, size]) => `${name} ${Math.round(kib(size))}`)
    .join(", ")
  const target =
    provider === "placetopay" && client === "fetch"
      ? `; target ≤ ${TARGET_FETCH_BUNDLE_KIB} KiB: ${kib(gzipped) <= TARGET_FETCH_BUNDLE_KIB ? "met" : "NOT met"}`
      : ""
  return {
    name: `bundle: one ${provider} link on ${client}, min+gzip`,
    value: kib(gzipped),
    unit: "KiB",
    notes: `${gzipped} B gzip -9${target}; minified ${Math.round(kib(code.length))} KiB, largest (KiB, minified): ${largest}`
  }
}

export const run: Effect.Effect<ReadonlyArray<Measurement>, unknown> = Effect.tryPromise(async () => {
  const dir = await mkdtemp(join(tmpdir(), "pasarela-cold-start-"))
  try {
    progress("cold-start: packing the packages and installing them with npm into a fresh app")
    const app = await installApp(dir)
    await writeFile(join(app, BUNDLED_FIRST_LINK), (await bundle(app, "first-link.mjs")).code)
    progress(`cold-start: ${STARTUPS.length} programs × ${RUNS} fresh processes`)
    const startups = await measureStartups(app)
    progress("cold-start: bundles")
    const bundles: Array<Measurement> = []
    for (const provider of ["placetopay", "autocore"]) {
      for (const client of ["fetch", "undici"]) bundles.push(await bundleRow(app, provider, client))
    }
    return [...startupRows(startups), ...bundles]
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
})

if (isEntryPoint(import.meta.url)) runAlone(run)
