export * from "./Adversarial.js"
export * from "./Conformance.js"
export * from "./Connectivity.js"
export * from "./Driver.js"
