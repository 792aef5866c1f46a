/**
 * `@pasarela/testing`: the conformance suite every provider passes and the fault matrix (on
 * vitest, through `@effect/vitest`), and test helpers. The helpers that need no test runner are
 * also the entry `@pasarela/testing/helpers`, which loads without vitest.
 */
export * from "./Adversarial.js"
export * from "./Conformance.js"
export * as FaultMatrix from "./FaultMatrix.js"
export * from "./helpers.js"
