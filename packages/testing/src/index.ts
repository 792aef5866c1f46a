export * from "./Conformance.js"
export * from "./Driver.js"
