/**
 * Local simulators of the PlacetoPay and Autocore APIs, faithful to the wire contracts, for tests
 * and demos. Each can run embedded (port 0 on loopback) or standalone.
 */
export * as AutocoreSandbox from "./AutocoreSandbox.js"
export * as Faults from "./Faults.js"
export * as PasarelaSetup from "./PasarelaSetup.js"
export * as PlacetoPaySandbox from "./PlacetoPaySandbox.js"
export * as Sandbox from "./Sandbox.js"
