/** `pasarela hotels`: the hotels of a merchant's Autocore account (to find `hotelId` values). */
import * as Command from "@effect/cli/Command"
import { config, json, lazily, merchant } from "../CommonOptions.js"

export const hotelsOptions = { config, json, merchant }

export const hotels = Command.make(
  "hotels",
  hotelsOptions,
  lazily(() => import("../handlers/hotels.js"), "list")
).pipe(Command.withDescription("list the hotels of a merchant's Autocore account"))
