/**
 * The shared conformance suite, run against Autocore on the simulator. Autocore cannot read,
 * disable or expire links, so those scenarios are skipped by its declared capabilities.
 */
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import { Money, type RawNotification } from "@pasarela/core"
import { conformance, Driver } from "@pasarela/testing"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Autocore from "../src/Autocore.js"
import { countedSandbox, options, receiver, sandboxCard, uniqueReference } from "./support.js"

const payer = { name: "Laura", surname: "Pelaez", email: "laura@example.com" }

const chargeInput = (label: string, number: string) => ({
  reference: uniqueReference(label),
  description: "Conformance charge",
  amount: Money.make("120000", "COP"),
  payer,
  card: sandboxCard(number)
})

/**
 * Moves a genuine notification to another booking, keeping its token: what an attacker holding
 * one tokenised URL could try. (The token binds merchant and reference; Autocore signs nothing else.)
 */
const forge = (notification: RawNotification): RawNotification => {
  const body = JSON.parse(notification.body) as { external_ref_id?: string; details?: { external_ref_id?: string } }
  const other = "FORGED-REFERENCE"
  return {
    ...notification,
    body: JSON.stringify({
      ...body,
      external_ref_id: other,
      ...(body.details === undefined ? {} : { details: { ...body.details, external_ref_id: other } })
    })
  }
}

const AutocoreOnSandbox = Layer.unwrapScoped(
  Effect.gen(function* () {
    const sandbox = yield* countedSandbox()
    const notifications = yield* receiver
    const services = Autocore.layer(options(sandbox.baseUrl, { notificationUrl: notifications.url }))
    const driver = Layer.succeed(Driver, {
      amount: Money.make("120000", "COP"),
      linkDefaults: { payer, notificationUrl: notifications.url },
      payLink: (link) => Effect.asVoid(sandbox.payLink(link.id)),
      notifiesExpiry: false,
      takeNotification: notifications.take,
      forge,
      requestCount: sandbox.requestCount,
      charges: {
        approved: chargeInput("CF-OK", "4111111111111111"),
        declined: chargeInput("CF-KO", "1111111111111111"),
        pendingThenApproved: chargeInput("CF-PEND", "36417002140808"),
        settle: (chargeId) => Effect.asVoid(sandbox.settleCharge(chargeId))
      }
    })
    return Layer.merge(services, driver)
  })
).pipe(Layer.provide(NodeHttpClient.layerUndici))

conformance("autocore", AutocoreOnSandbox, {
  operations: ["links.create", "charges.create", "orders.create", "giftCards.create", "webhooks.verify"],
  expire: false
})
