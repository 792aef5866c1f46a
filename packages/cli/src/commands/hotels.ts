/** `pasarela hotels`: the hotels of a merchant's Autocore account (to find `hotelId` values). */
import * as Command from "@effect/cli/Command"
import { AutocoreHotels } from "@pasarela/autocore"
import { PaymentError, Router, Unsupported } from "@pasarela/core"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import { grid, print } from "../Output.js"
import { config, json, merchant, withPasarela } from "../Shared.js"

export const hotels = Command.make("hotels", { config, json, merchant }, (o) =>
  withPasarela(
    o.config,
    Effect.gen(function* () {
      const services = yield* (yield* Router.Router).servicesFor(o.merchant)
      // The router types a merchant's context as the neutral services; Autocore's adds its hotels.
      const api = Context.getOption(services as unknown as Context.Context<AutocoreHotels>, AutocoreHotels)
      if (Option.isNone(api)) {
        return yield* Effect.fail(
          new PaymentError({
            provider: "cli",
            operation: "hotels.list",
            merchantId: o.merchant,
            reason: new Unsupported({
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
).pipe(Command.withDescription("list the hotels of a merchant's Autocore account"))
