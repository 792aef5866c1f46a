/** What `pasarela hotels` does. */
import type * as Command from "@effect/cli/Command"
import { AutocoreHotels } from "@pasarela/autocore"
import { PaymentError, Router } from "@pasarela/core"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import type { hotelsOptions } from "../commands/hotels.js"
import { grid, print } from "../Output.js"
import { forMerchant } from "../Shared.js"

export const list = (o: Command.Command.ParseConfig<typeof hotelsOptions>) =>
  forMerchant(
    o.config,
    o.merchant,
    Effect.gen(function* () {
      const services = yield* (yield* Router.Router).servicesFor(o.merchant)
      // The router types a merchant's context as the neutral services; Autocore's adds its hotels.
      const api = Context.getOption(services as unknown as Context.Context<AutocoreHotels>, AutocoreHotels)
      if (Option.isNone(api)) {
        return yield* Effect.fail(
          new PaymentError.PaymentError({
            provider: "cli",
            operation: "hotels.list",
            merchantId: o.merchant,
            reason: new PaymentError.Unsupported({
              detail: "listing hotels is an Autocore operation; this merchant is not on Autocore"
            })
          })
        )
      }
      const all = yield* api.value.all
      yield* print(o.json, all, () =>
        grid(
          ["id", "name", "currency"],
          all.map((hotel) => [hotel.id, hotel.name, hotel.currency])
        )
      )
    })
  )
