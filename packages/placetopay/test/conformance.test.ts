/**
 * The shared conformance suite against PlacetoPay-on-sandbox: the adapter over real loopback HTTP,
 * the sandbox paying and expiring links, notifications arriving at a loopback receiver.
 */
import { Money } from "@pasarela/core"
import { conformance, Driver } from "@pasarela/testing"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Ref from "effect/Ref"
import { PlacetoPay } from "../src/index.js"
import { APPROVED_CARD, environment, Receiver, RequestLog, Sandbox } from "./support.js"

const PlacetoPayDriver = Layer.effect(
  Driver,
  Effect.gen(function* () {
    const sandbox = yield* Sandbox
    const receiver = yield* Receiver
    const log = yield* RequestLog
    return {
      // PlacetoPay link totals are integers.
      amount: Money.make("120000", "COP"),
      linkDefaults: { notificationUrl: receiver.url },
      payLink: (link) =>
        Effect.asVoid(sandbox.payLink(Number(link.id), { number: APPROVED_CARD, cvv: "123", expiry: "12/2099" })),
      expireLink: (link) => Effect.asVoid(sandbox.expireLink(Number(link.id))),
      notifiesExpiry: true,
      takeNotification: receiver.take,
      // An attacker without the secret can change the link id but not re-sign it.
      forge: (raw) => {
        const body = JSON.parse(raw.body) as { linkId: number }
        return { ...raw, body: JSON.stringify({ ...body, linkId: body.linkId + 1 }) }
      },
      // API requests the adapter sent to the sandbox (the sandbox itself keeps no count).
      requestCount: Effect.map(
        Ref.get(log),
        (all) => all.filter((r) => new URL(r.url).pathname.startsWith("/api/")).length
      )
    }
  })
)

conformance("placetopay", Layer.provideMerge(PlacetoPayDriver, environment()), {
  operations: [...PlacetoPay.provider.capabilities],
  expire: true
})
