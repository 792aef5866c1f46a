/**
 * PlacetoPay payment-links adapter: `PlacetoPay.layer({ login, secretKey, baseUrl })` provides the
 * neutral services (links create / get / disable, notification verification in `Webhooks`) over PlacetoPay's API.
 */
export * as Auth from "./Auth.js"
export * as Client from "./Client.js"
export * as Mapping from "./Mapping.js"
export * as Options from "./Options.js"
export * as PlacetoPay from "./PlacetoPay.js"
export * as Webhooks from "./Webhooks.js"
export * as Wire from "./Wire.js"
