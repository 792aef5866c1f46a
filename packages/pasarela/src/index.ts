/**
 * Pasarela with batteries: a configuration file listing hotels and their gateways, a provider
 * registry, a Promise API for apps without Effect, and one webhook endpoint for every provider.
 */

export * from "./Client.js"
/** The configuration as written (JSON, or an object): merchants, store, events, webhooks. */
export type { PasarelaConfigInput as PasarelaConfig } from "./Config.js"
export * as Config from "./Config.js"
export * as DedupeStore from "./DedupeStore.js"
export * as EventHandler from "./EventHandler.js"
export * as Hotels from "./Hotels.js"
export * as Inbox from "./Inbox.js"
export * as Journal from "./Journal.js"
export * as Observability from "./Observability.js"
export * as Pasarela from "./Pasarela.js"
export * as Providers from "./Providers.js"
export * as Reconciler from "./Reconciler.js"
export * as Registry from "./Registry.js"
export * as Setup from "./Setup.js"
export * as WebhookEndpoint from "./WebhookEndpoint.js"
