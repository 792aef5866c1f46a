/**
 * Provider identity and capabilities, as data. A provider declares which neutral operations it
 * supports; calling any other fails with the typed `Unsupported` reason.
 */
import * as Context from "effect/Context"
import * as Schema from "effect/Schema"

/** Every neutral operation Pasarela knows. Spans and errors name operations with these strings. */
export const Operation = Schema.Literal(
  "links.create",
  "links.get",
  "links.disable",
  "charges.create",
  "orders.create",
  "giftCards.create",
  "webhooks.verify"
)
export type Operation = typeof Operation.Type

export const allOperations: ReadonlyArray<Operation> = Operation.literals

/** What a provider is and what it can do. */
export interface ProviderInfo {
  /** Stable machine name: `memory`, `placetopay`, `autocore`, or a third party's. */
  readonly name: string
  /** Human name for messages: `PlacetoPay`. */
  readonly displayName: string
  readonly capabilities: ReadonlySet<Operation>
}

export const make = (info: {
  readonly name: string
  readonly displayName: string
  readonly capabilities: Iterable<Operation>
}): ProviderInfo => ({ name: info.name, displayName: info.displayName, capabilities: new Set(info.capabilities) })

export const supports = (provider: ProviderInfo, operation: Operation): boolean => provider.capabilities.has(operation)

/** The provider behind the services in scope (each adapter layer provides it). */
export class Provider extends Context.Tag("@pasarela/core/Provider")<Provider, ProviderInfo>() {}
