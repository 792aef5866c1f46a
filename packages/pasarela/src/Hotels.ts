/**
 * The hotels of a merchant's Autocore account (the `hotelId` values a configuration can name), for
 * merchants served by Autocore. Autocore's module is loaded only when such a merchant asks.
 */
import type { Autocore } from "@pasarela/autocore"
import { PaymentError, Router } from "@pasarela/core"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"

export const forMerchant = (
  merchantId: string,
  operation: string
): Effect.Effect<Autocore.AutocoreHotelsService, PaymentError.PaymentError, Router.Router> =>
  Effect.gen(function* () {
    const [route] = yield* (yield* Router.Router).routesFor(merchantId, "autocore")
    if (route !== undefined) {
      const { AutocoreHotels } = yield* Effect.promise(() => import("@pasarela/autocore"))
      // The router types a merchant's services as the neutral ones; Autocore's also hold its hotels.
      const hotels = Context.getOption(route.services as Context.Context<never>, AutocoreHotels)
      if (Option.isSome(hotels)) return hotels.value
    }
    return yield* new PaymentError.PaymentError({
      provider: "pasarela",
      operation,
      merchantId,
      reason: new PaymentError.Unsupported({
        detail: `listing hotels is an Autocore operation; ${merchantId} is not served by Autocore`
      })
    })
  })
