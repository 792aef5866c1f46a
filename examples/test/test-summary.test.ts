/**
 * The summary line `pnpm test` ends with (and CI reads): a test file that cannot even load must
 * show as a failure, not vanish from the count.
 */
import { describe, expect, it } from "vitest"

type Summarize = (
  report: unknown,
  status: number | null
) => { readonly passed: number; readonly failed: number; readonly skipped: number }

const { summarize } = (await import(new URL("../../scripts/test-summary.mjs", import.meta.url).href)) as {
  readonly summarize: Summarize
}

const report = (overrides: object) => ({
  numPassedTests: 10,
  numFailedTests: 0,
  numPendingTests: 1,
  numTodoTests: 0,
  testResults: [{ status: "passed", assertionResults: [{ status: "passed" }] }],
  ...overrides
})

describe("test summary", () => {
  it("counts passed, failed and skipped tests", () => {
    expect(summarize(report({}), 0)).toEqual({ passed: 10, failed: 0, skipped: 1 })
    expect(summarize(report({ numFailedTests: 2 }), 1)).toEqual({ passed: 10, failed: 2, skipped: 1 })
  })

  it("counts a test file that failed to load (no tests in the report) as a failure", () => {
    const broken = report({
      testResults: [
        { status: "passed", assertionResults: [{ status: "passed" }] },
        { status: "failed", assertionResults: [], message: "Cannot find name 'dual'" },
        { status: "failed", assertionResults: [], message: "SyntaxError" }
      ]
    })
    expect(summarize(broken, 1).failed).toBe(2)
  })

  it("never says 0 failed for a run vitest ended in error", () => {
    expect(summarize(report({}), 1).failed).toBe(1)
  })
})
