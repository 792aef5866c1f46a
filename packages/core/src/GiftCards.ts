/** The gift-cards service. */
import * as Context from "effect/Context"
import type * as Effect from "effect/Effect"
import { CreateGiftCard, type CreateGiftCardInput, type GiftCard } from "./GiftCard.js"
import { operation } from "./internal/operation.js"
import type { PaymentError } from "./PaymentError.js"
import type { ProviderInfo } from "./Provider.js"
import type { InputRules } from "./Validation.js"

export interface GiftCardsService {
  readonly provider: ProviderInfo
  readonly create: (input: CreateGiftCardInput) => Effect.Effect<GiftCard, PaymentError>
}

/**
 * Builds the service from a provider's implementation (also `GiftCards.make`).
 */
export const makeGiftCards = (
  provider: ProviderInfo,
  implementation: {
    readonly create?: (input: CreateGiftCard) => Effect.Effect<GiftCard, PaymentError>
    /** The provider's own rules on the input, reported with the shared schema's issues. */
    readonly rules?: { readonly create?: InputRules<CreateGiftCard> }
  }
): GiftCardsService => ({
  provider,
  create: operation(provider, "giftCards.create", CreateGiftCard, implementation.create, implementation.rules?.create)
})

export class GiftCards extends Context.Tag("@pasarela/core/GiftCards")<GiftCards, GiftCardsService>() {
  static readonly make = makeGiftCards
}
