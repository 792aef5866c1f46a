/**
 * Every TypeScript block in the README and the packages' READMEs type-checks as written: each block
 * is written out as a module of its own and the lot goes through one `tsc` run, strict, NodeNext,
 * resolving the packages as an app would (from source, through the `@pasarela/source` condition, so
 * no build is needed). A block that continues another, or shows only a part, says so on the line
 * before its fence — `<!-- fragment: why -->` — and is listed here as skipped, never silently.
 *
 * A block marked `<!-- runs -->` also runs, with tsx, as a program of its own: in a directory
 * holding a `pasarela.json` for the sandbox's two test hotels (started here, on loopback) and with
 * their secrets in the environment, as a user who copied the block would run it. It must exit 0.
 */
import { spawn, spawnSync } from "node:child_process"
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { fileURLToPath } from "node:url"
import { describe, expect, it } from "@effect/vitest"
import { PasarelaSetup, Sandbox } from "@pasarela/sandbox"

const root = fileURLToPath(new URL("../..", import.meta.url))
const examples = join(root, "examples")

interface Block {
  /** `README.md:97`: the file and the line of the opening fence. */
  readonly where: string
  readonly code: string
  /** Why the block is not checked on its own, when it says it is a fragment. */
  readonly fragment: string | undefined
  /** Whether the block says it runs as it stands. */
  readonly runs: boolean
}

const FRAGMENT = /^\s*<!--\s*fragment:\s*(.+?)\s*-->$/
const RUNS = /^\s*<!--\s*runs\s*-->$/

/** The ```ts blocks of a Markdown text, each with the fragment marker on the line before it, if any. */
const blocksOf = (file: string, markdown: string): ReadonlyArray<Block> => {
  const lines = markdown.split("\n")
  const blocks: Array<Block> = []
  for (let at = 0; at < lines.length; at++) {
    // Fences may be indented (a block inside a list item); the block's lines lose that indent.
    const fence = /^(\s*)```(\w*)\s*$/.exec(lines[at]!)
    if (fence === null) continue
    const indent = fence[1]!
    const end = lines.findIndex((line, index) => index > at && line.trimStart().startsWith("```"))
    if (end === -1) throw new Error(`${file}:${at + 1}: a code block that never closes`)
    if (fence[2] === "ts" || fence[2] === "typescript") {
      blocks.push({
        where: `${file}:${at + 1}`,
        code: lines
          .slice(at + 1, end)
          .map((line) => (line.startsWith(indent) ? line.slice(indent.length) : line))
          .join("\n"),
        fragment: FRAGMENT.exec(lines[at - 1] ?? "")?.[1],
        runs: RUNS.test(lines[at - 1] ?? "")
      })
    }
    at = end
  }
  return blocks
}

const documents = [
  "README.md",
  ...readdirSync(join(root, "packages")).map((name) => `packages/${name}/README.md`)
].filter((file) => {
  try {
    readFileSync(join(root, file))
    return true
  } catch {
    return false
  }
})

const blocks = documents.flatMap((file) => blocksOf(file, readFileSync(join(root, file), "utf8")))
const checked = blocks.filter((block) => block.fragment === undefined)

describe("the documentation's TypeScript blocks", () => {
  it("finds the fences, indented ones too, and the markers", () => {
    const markdown = [
      "```ts",
      "a",
      "```",
      "<!-- fragment: continues -->",
      "```ts",
      "b",
      "```",
      "- item",
      "  <!-- runs -->",
      "  ```ts",
      "  c",
      "  ```"
    ].join("\n")
    expect(blocksOf("x.md", markdown)).toEqual([
      { where: "x.md:1", code: "a", fragment: undefined, runs: false },
      { where: "x.md:5", code: "b", fragment: "continues", runs: false },
      { where: "x.md:10", code: "c", fragment: undefined, runs: true }
    ])
    expect(() => blocksOf("x.md", "```ts\nopen")).toThrow("x.md:1: a code block that never closes")
  })

  it("every block not marked as a fragment type-checks as a module of its own", () => {
    for (const block of blocks.filter((b) => b.fragment !== undefined))
      console.log(`skipped ${block.where} (fragment: ${block.fragment})`)
    expect(checked.length).toBeGreaterThan(0)
    // Inside examples/, so the blocks resolve the packages through its node_modules, as an app's would.
    const dir = join(examples, ".doc-blocks")
    rmSync(dir, { recursive: true, force: true })
    mkdirSync(dir, { recursive: true })
    const names = new Map<string, string>()
    checked.forEach((block, index) => {
      const name = `block-${index}.ts`
      names.set(name, block.where)
      // A block without imports or exports would be a script sharing one global scope with the others.
      writeFileSync(
        join(dir, name),
        /^\s*(import|export)\s/m.test(block.code) ? block.code : `${block.code}\nexport {}\n`
      )
    })
    writeFileSync(
      join(dir, "tsconfig.json"),
      JSON.stringify({
        compilerOptions: {
          target: "ES2022",
          lib: ["ES2022", "DOM", "DOM.Iterable"],
          module: "NodeNext",
          moduleResolution: "NodeNext",
          customConditions: ["@pasarela/source"],
          strict: true,
          exactOptionalPropertyTypes: true,
          noUncheckedIndexedAccess: true,
          verbatimModuleSyntax: true,
          skipLibCheck: true,
          noEmit: true,
          types: ["node"]
        },
        include: ["*.ts"]
      })
    )
    const tsc = spawnSync(process.execPath, [join(root, "node_modules/typescript/bin/tsc"), "-p", dir], {
      encoding: "utf8",
      timeout: 240_000
    })
    // Errors name the README line the block came from, not the generated file.
    const report = `${tsc.stdout}${tsc.stderr}`.replace(/block-\d+\.ts/g, (name) => names.get(name) ?? name)
    rmSync(dir, { recursive: true, force: true })
    expect(report.split("\n").filter((line) => line.includes("error TS"))).toEqual([])
    expect(tsc.status, report).toBe(0)
  }, 300_000)

  it("every block marked to run runs as written against the sandbox, and exits 0", async () => {
    const runnable = blocks.filter((block) => block.runs)
    expect(runnable.length).toBeGreaterThan(0)
    const sandbox = await Sandbox.start()
    const dir = join(examples, ".doc-runs")
    rmSync(dir, { recursive: true, force: true })
    mkdirSync(dir, { recursive: true })
    try {
      writeFileSync(join(dir, "pasarela.json"), JSON.stringify(PasarelaSetup.config(sandbox.baseUrl)))
      for (const [index, block] of runnable.entries()) {
        const file = join(dir, `block-${index}.ts`)
        writeFileSync(file, /^\s*(import|export)\s/m.test(block.code) ? block.code : `${block.code}\nexport {}\n`)
        const ran = await runProgram(file, dir, PasarelaSetup.env())
        expect(ran.status, `${block.where}\n${ran.output}`).toBe(0)
      }
    } finally {
      rmSync(dir, { recursive: true, force: true })
      await sandbox.close()
    }
  }, 300_000)
})

/** Runs a TypeScript file with tsx (the packages from source), in `cwd`, with `env` added. */
const runProgram = (file: string, cwd: string, env: Record<string, string>) =>
  new Promise<{ readonly status: number | null; readonly output: string }>((resolve) => {
    const child = spawn(process.execPath, ["--conditions=@pasarela/source", "--import", "tsx", file], {
      cwd,
      env: { ...process.env, NODE_OPTIONS: "", ...env },
      timeout: 60_000
    })
    let output = ""
    child.stdout.on("data", (chunk) => {
      output += chunk
    })
    child.stderr.on("data", (chunk) => {
      output += chunk
    })
    child.on("close", (status) => resolve({ status, output }))
  })
