// The one summary line of a test run, from vitest's JSON report and its exit status. A test file
// that fails to load has no tests in the report, so it is counted here as a failure of its own;
// so is a run that failed outside any test (an unhandled error), so a red run never reads "0 failed".

/**
 * @param {any} report vitest's JSON report
 * @param {number | null} status vitest's exit status
 * @returns {{ passed: number, failed: number, skipped: number }}
 */
export const summarize = (report, status) => {
  const brokenFiles = (report.testResults ?? []).filter(
    (file) => file.status === "failed" && (file.assertionResults ?? []).length === 0
  ).length
  const failed = report.numFailedTests + brokenFiles
  return {
    passed: report.numPassedTests,
    failed: failed === 0 && status !== 0 ? 1 : failed,
    skipped: report.numPendingTests + report.numTodoTests
  }
}
