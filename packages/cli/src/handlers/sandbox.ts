/** What `pasarela sandbox` does: serves until stopped, after printing the test credentials. */
import type * as Command from "@effect/cli/Command"
import { AutocoreSandbox, Sandbox } from "@pasarela/sandbox"
import * as Console from "effect/Console"
import * as Effect from "effect/Effect"
import type { sandboxOptions } from "../commands/sandbox.js"
import { cannotListen } from "../Listen.js"
import { grid } from "../Output.js"

export const serve = (o: Command.Command.ParseConfig<typeof sandboxOptions>) =>
  Effect.gen(function* () {
    const running = yield* Sandbox.serve({ port: o.port, host: o.host }).pipe(Effect.mapError(cannotListen(o.port)))
    const credentials = {
      baseUrl: running.baseUrl,
      dashboardUrl: running.dashboardUrl,
      placetopay: running.placetopay.sites.map((site) => ({
        site: site.id,
        name: site.name,
        login: site.login,
        secretKey: site.secretKey
      })),
      autocore: running.autocore.accounts.map((account) => ({
        accessKey: account.accessKey,
        secretKey: account.secretKey,
        cardEncryptionKey: account.cardEncryptionKey,
        hotels: account.hotels.map((hotel) => hotel.id)
      })),
      // The declined card fails the Luhn check on purpose: `skipLuhnCheck: true` (CLI: --skip-luhn).
      autocoreTestCards: AutocoreSandbox.testCards
    }
    if (o.json) yield* Console.log(JSON.stringify(credentials, null, 2))
    else {
      yield* Console.log(`Sandbox listening on ${running.baseUrl} (test credentials only — never real ones)`)
      yield* Console.log(
        `Dashboard: ${running.dashboardUrl} — open it in a browser: links, charges, orders, gift cards, every webhook delivery\n`
      )
      yield* Console.log("PlacetoPay sites (baseUrl: the URL above)")
      yield* Console.log(
        grid(
          ["site", "login", "secretKey"],
          credentials.placetopay.map((s) => [s.site, s.login, s.secretKey])
        )
      )
      yield* Console.log("\nAutocore accounts (baseUrl: the URL above)")
      yield* Console.log(
        grid(
          ["accessKey", "secretKey", "cardEncryptionKey", "hotels"],
          credentials.autocore.map((a) => [a.accessKey, a.secretKey, a.cardEncryptionKey, a.hotels.join(" ")])
        )
      )
      yield* Console.log("\nAutocore test cards (any future expiry, CVC 123)")
      yield* Console.log(
        grid(
          ["card", "outcome", "note"],
          credentials.autocoreTestCards.map((card) => [
            card.number,
            card.outcome,
            card.skipLuhnCheck ? "fails the Luhn check on purpose: skipLuhnCheck: true (CLI: --skip-luhn)" : ""
          ])
        )
      )
      yield* Console.log(
        "\nA link's URL is its checkout page: pay it in a browser with a test card (listed on the page)."
      )
      yield* Console.log(
        "Control endpoints for scripts: POST /__sandbox/placetopay/links/:id/pay, /__sandbox/autocore/links/:code/pay …"
      )
      yield* Console.log("Press Ctrl+C to stop.")
    }
    return yield* Effect.never
  }).pipe(Effect.scoped)
