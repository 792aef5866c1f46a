/**
 * `@pasarela/testing/helpers`: the helpers that need no test runner, for any test framework or a
 * plain script — a tracer that records spans, HTTP clients that fail the way networks do, a port
 * nothing listens on, the conformance `Driver` tag, adversarial values, `failureOf` / `reasonOf`. Loading it never loads
 * vitest (the package's main entry, with the conformance suite, does).
 */
export * from "./Connectivity.js"
export * from "./Driver.js"
export * from "./Failures.js"
export * from "./Tracing.js"
export * from "./Values.js"
