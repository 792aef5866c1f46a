/** The gift-cards service. */
import * as Context from "effect/Context"
import { CreateGiftCard, type CreateGiftCardInput, type GiftCard } from "./GiftCard.js"
import { type CreateService, createService } from "./internal/operation.js"

export type GiftCardsService = CreateService<CreateGiftCardInput, GiftCard>

/** Builds the service from a provider's implementation (also `GiftCards.make`). */
export const makeGiftCards = createService<CreateGiftCard, CreateGiftCardInput, GiftCard>(
  "giftCards.create",
  CreateGiftCard
)

export class GiftCards extends Context.Tag("@pasarela/core/GiftCards")<GiftCards, GiftCardsService>() {
  static readonly make = makeGiftCards
}
