/**
 * What every benchmark module shares: the row type, statistics, the table, flags, the simulators'
 * child process, and "run me when I am the entry point". Figures only: nothing here asserts a timing.
 */
import { spawn } from "node:child_process"
import { dirname } from "node:path"
import { createInterface } from "node:readline"
import { fileURLToPath, pathToFileURL } from "node:url"
import * as Effect from "effect/Effect"

/** One figure. */
export interface Measurement {
  readonly name: string
  readonly value: number
  readonly unit: string
  readonly notes?: string
}

/** Sorted copy, ascending. */
export const sorted = (samples: ArrayLike<number>): Float64Array => Float64Array.from(samples).sort()

/** Nearest-rank percentile (`p` in 0–100) of ascending samples. */
export const percentile = (ascending: ArrayLike<number>, p: number): number => {
  if (ascending.length === 0) return Number.NaN
  const rank = Math.ceil((p / 100) * ascending.length)
  return ascending[Math.min(ascending.length - 1, Math.max(0, rank - 1))]!
}

export const mean = (samples: ArrayLike<number>): number => {
  let sum = 0
  for (let i = 0; i < samples.length; i++) sum += samples[i]!
  return samples.length === 0 ? Number.NaN : sum / samples.length
}

export const median = (samples: ArrayLike<number>): number => percentile(sorted(samples), 50)

/** `1234.5` → `1,235`; small values keep 2–3 significant digits. */
export const formatValue = (value: number): string => {
  if (!Number.isFinite(value)) return String(value)
  const abs = Math.abs(value)
  const digits = abs >= 100 ? 0 : abs >= 10 ? 1 : abs >= 1 ? 2 : 3
  return value.toLocaleString("en", { minimumFractionDigits: digits, maximumFractionDigits: digits })
}

/** One aligned table: name, value, unit, notes. */
export const table = (rows: ReadonlyArray<Measurement>): string => {
  const header: Measurement = { name: "benchmark", value: Number.NaN, unit: "unit", notes: "notes" }
  const cells = [header, ...rows].map((r, i) => ({
    name: r.name,
    value: i === 0 ? "value" : formatValue(r.value),
    unit: r.unit,
    notes: r.notes ?? ""
  }))
  const width = (key: "name" | "value" | "unit") => Math.max(...cells.map((c) => c[key].length))
  const [n, v, u] = [width("name"), width("value"), width("unit")]
  const line = (c: (typeof cells)[number]) =>
    `${c.name.padEnd(n)}  ${c.value.padStart(v)}  ${c.unit.padEnd(u)}  ${c.notes}`.trimEnd()
  const rule = `${"-".repeat(n)}  ${"-".repeat(v)}  ${"-".repeat(u)}  ${"-".repeat(5)}`
  return [line(cells[0]!), rule, ...cells.slice(1).map(line)].join("\n")
}

/** `--name value` or `--name=value` from the command line, as a positive integer. */
export const intFlag = (name: string, fallback: number, argv: ReadonlyArray<string> = process.argv): number => {
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!
    const text =
      arg === `--${name}` ? argv[i + 1] : arg.startsWith(`--${name}=`) ? arg.slice(name.length + 3) : undefined
    if (text !== undefined) {
      const value = Number(text.replace(/[_,]/g, ""))
      if (!Number.isSafeInteger(value) || value < 1) throw new Error(`--${name} must be a positive integer`)
      return value
    }
  }
  return fallback
}

export const hasFlag = (name: string, argv: ReadonlyArray<string> = process.argv): boolean => argv.includes(`--${name}`)

/** Progress for humans, on stderr so stdout keeps only the table. */
export const progress = (message: string): void => {
  process.stderr.write(`[bench] ${message}\n`)
}

/** True when the module at `moduleUrl` is the program being run (not imported). */
export const isEntryPoint = (moduleUrl: string): boolean =>
  process.argv[1] !== undefined && moduleUrl === pathToFileURL(process.argv[1]).href

/** Runs a module's `run` and prints its table; a failure sets a non-zero exit code. */
export const runAlone = (run: Effect.Effect<ReadonlyArray<Measurement>, unknown>): void => {
  Effect.runPromise(run).then(
    (rows) => console.log(table(rows)),
    (error: unknown) => {
      console.error(error instanceof Error ? error.message : error)
      process.exitCode = 1
    }
  )
}

/**
 * True when this runs compiled (`bench/dist/*.js` on plain node, as `pnpm bench` does): the adapters
 * and their dependencies are then measured as applications run them, built, without tsx's loader.
 */
const compiled = import.meta.url.endsWith(".js")

/** The benchmark sources (`bench/`), whether this runs from them or from `bench/dist`. */
export const benchSources: string = fileURLToPath(new URL(compiled ? ".." : ".", import.meta.url))

/** The repository root: child processes run from here, so `--import tsx` resolves. */
export const repoRoot: string = dirname(benchSources)

/** Node arguments that run a TypeScript file from source: tsx's loader and the `@pasarela/source` condition. */
export const tsxNodeArgs = (file: string): ReadonlyArray<string> => [
  "--import",
  "tsx",
  "--conditions=@pasarela/source",
  file
]

export interface SandboxProcess {
  /** Stops the current sandbox and starts an empty one; its base URL. */
  readonly fresh: () => Promise<string>
  /** Stops the sandbox process (by its own pid) and waits for it to exit. */
  readonly close: () => Promise<void>
}

/** Node arguments that run the bench module `relative` (`fixtures/x.ts`) the way this process runs. */
export const benchModuleArgs = (relative: string): ReadonlyArray<string> =>
  compiled
    ? [fileURLToPath(new URL(relative.replace(/\.ts$/, ".js"), import.meta.url))]
    : tsxNodeArgs(fileURLToPath(new URL(relative, import.meta.url)))

/**
 * Both simulators in a child process (`fixtures/sandbox-server.ts`), so the client being measured
 * has the event loop to itself. Every wait is bounded.
 */
export const startSandboxProcess = (timeoutMillis = 60_000): SandboxProcess => {
  const child = spawn(process.execPath, benchModuleArgs("fixtures/sandbox-server.ts"), {
    cwd: repoRoot,
    stdio: ["pipe", "pipe", "inherit"]
  })
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()))
  const waiting: Array<(line: string) => void> = []
  createInterface({ input: child.stdout! }).on("line", (line) => waiting.shift()?.(line))
  const fresh = () =>
    new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error("the sandbox process did not answer in time")), timeoutMillis)
      waiting.push((line) => {
        clearTimeout(timer)
        try {
          resolve((JSON.parse(line) as { baseUrl: string }).baseUrl)
        } catch (error) {
          reject(error)
        }
      })
      child.stdin!.write("fresh\n")
    })
  const close = async () => {
    child.stdin!.end()
    const timer = setTimeout(() => child.kill("SIGKILL"), 10_000)
    await exited
    clearTimeout(timer)
  }
  return { fresh, close }
}

/** `use` with a sandbox process, closed afterwards whatever happens. */
export const withSandboxProcess = <A>(use: (sandbox: SandboxProcess) => Promise<A>): Effect.Effect<A, unknown> =>
  Effect.acquireUseRelease(
    Effect.sync(() => startSandboxProcess()),
    (sandbox) => Effect.tryPromise(() => use(sandbox)),
    (sandbox) => Effect.promise(() => sandbox.close())
  )
