#!/usr/bin/env node
// Runs every test with vitest and ends with one plain summary line, `N passed, N failed`, which
// CI and people read alike. Extra arguments go to vitest (e.g. `pnpm test --project core`).
import { spawnSync } from "node:child_process"
import { mkdtempSync, readFileSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { summarize } from "./test-summary.mjs"

const dir = mkdtempSync(join(tmpdir(), "pasarela-test-"))
const report = join(dir, "report.json")
const run = spawnSync(
  "vitest",
  ["run", "--reporter=default", "--reporter=json", `--outputFile.json=${report}`, ...process.argv.slice(2)],
  { stdio: "inherit", shell: process.platform === "win32" }
)
let summary
try {
  summary = summarize(JSON.parse(readFileSync(report, "utf8")), run.status)
} catch {
  summary = undefined
}
rmSync(dir, { recursive: true, force: true })
if (summary === undefined) {
  console.log("0 passed, 1 failed (vitest wrote no report)")
  process.exit(run.status || 1)
}
console.log(`${summary.passed} passed, ${summary.failed} failed, ${summary.skipped} skipped`)
process.exit(summary.passed === 0 || summary.failed > 0 ? 1 : (run.status ?? 1))
