/**
 * Pasarela with batteries: a configuration file listing hotels and their gateways, a provider
 * registry, a Promise API for apps without Effect, and one webhook endpoint for every provider.
 */

export * from "./Client.js"
export * as Config from "./Config.js"
export * as DedupeStore from "./DedupeStore.js"
export * as EventHandler from "./EventHandler.js"
export * as Inbox from "./Inbox.js"
export * as Journal from "./Journal.js"
export * as Pasarela from "./Pasarela.js"
export * as Providers from "./Providers.js"
export * as Reconciler from "./Reconciler.js"
export * as Registry from "./Registry.js"
export * as Setup from "./Setup.js"
export * as WebhookEndpoint from "./WebhookEndpoint.js"
