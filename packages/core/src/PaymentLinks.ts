/** The payment-links service: create, get and disable links on whichever provider is in scope. */
import * as Context from "effect/Context"
import type * as Effect from "effect/Effect"
import * as Schema from "effect/Schema"
import { Text } from "./Fields.js"
import { operation } from "./internal/operation.js"
import type { PaymentError } from "./PaymentError.js"
import { CreatePaymentLink, type CreatePaymentLinkInput, type PaymentLink } from "./PaymentLink.js"
import type { ProviderInfo } from "./Provider.js"
import type { InputRules } from "./Validation.js"

/** Which link to read or disable: its `id` as returned by `create`. */
export const LinkLookup = Schema.Struct({ id: Text(200), merchantId: Schema.optional(Text(64)) })
export type LinkLookup = typeof LinkLookup.Type

export interface PaymentLinksService {
  readonly provider: ProviderInfo
  readonly create: (input: CreatePaymentLinkInput) => Effect.Effect<PaymentLink, PaymentError>
  readonly get: (id: string) => Effect.Effect<PaymentLink, PaymentError>
  readonly disable: (id: string) => Effect.Effect<PaymentLink, PaymentError>
}

/**
 * Builds the service from a provider's implementation (also `PaymentLinks.make`). Inputs reach the
 * implementation validated; an operation left out (or not in the provider's capabilities) fails
 * with `Unsupported`. `rules` are the provider's own checks, run next to the shared schema's when
 * it refuses an input, so every bad field is listed at once.
 */
export const makePaymentLinks = (
  provider: ProviderInfo,
  implementation: {
    readonly create?: (input: CreatePaymentLink) => Effect.Effect<PaymentLink, PaymentError>
    readonly get?: (lookup: LinkLookup) => Effect.Effect<PaymentLink, PaymentError>
    readonly disable?: (lookup: LinkLookup) => Effect.Effect<PaymentLink, PaymentError>
    /** The provider's own rules on a creation input, reported with the shared schema's issues. */
    readonly rules?: { readonly create?: InputRules<CreatePaymentLink> }
  }
): PaymentLinksService => {
  const get = operation(provider, "links.get", LinkLookup, implementation.get)
  const disable = operation(provider, "links.disable", LinkLookup, implementation.disable)
  return {
    provider,
    create: operation(provider, "links.create", CreatePaymentLink, implementation.create, implementation.rules?.create),
    get: (id) => get({ id }),
    disable: (id) => disable({ id })
  }
}

export class PaymentLinks extends Context.Tag("@pasarela/core/PaymentLinks")<PaymentLinks, PaymentLinksService>() {
  static readonly make = makePaymentLinks
}
