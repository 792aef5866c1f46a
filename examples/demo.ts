/**
 * The end-to-end demo: two hotels, one on PlacetoPay and one on Autocore, served by one Pasarela
 * configuration against the local simulators. Run it with `pnpm demo`.
 *
 * 1. starts both simulators and this app's webhook endpoint on loopback;
 * 2. creates a payment link for each hotel through the router;
 * 3. pays both links through the simulators' control endpoints (as a guest would);
 * 4. receives both notifications at the webhook endpoint, verified and deduplicated;
 * 5. charges three Autocore test cards: approved, declined, and pending → settled by webhook.
 *
 * `pnpm demo --wait` is the same with you as the guest: step 3 prints the two checkout URLs and
 * waits until you have paid both in a browser (with a test card listed on each page).
 */
import { createServer } from "node:http"
import * as NodeHttpServer from "@effect/platform-node/NodeHttpServer"
import { Card, Charges, Money, type PaymentEvent, PaymentLinks, RoutedId } from "@pasarela/core"
import { UndiciHttpClient } from "@pasarela/node"
import { PasarelaSetup, Sandbox } from "@pasarela/sandbox"
import * as ConfigProvider from "effect/ConfigProvider"
import * as Console from "effect/Console"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Queue from "effect/Queue"
import { Pasarela, WebhookEndpoint } from "pasarela"

const post = (url: string, body: unknown) =>
  Effect.promise(() =>
    fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) })
  ).pipe(
    Effect.flatMap((response) =>
      response.ok ? Effect.promise(() => response.json()) : Effect.dieMessage(`${url} answered ${response.status}`)
    )
  )

const guest = { name: "Laura", surname: "Pelaez", email: "laura@example.com" }
const card = (number: string) =>
  Card.make({
    number,
    cvv: "123",
    expiryMonth: 12,
    expiryYear: 2099,
    holderName: "LAURA PELAEZ",
    skipLuhnCheck: number === "1111111111111111"
  })

export interface Summary {
  readonly lines: ReadonlyArray<string>
  readonly events: ReadonlyArray<PaymentEvent.PaymentEvent>
}

export interface Options {
  /** Wait for a person to pay both links in a browser instead of paying them through the control endpoints. */
  readonly wait?: boolean
  /** Each line as it happens (the summary returns them too). */
  readonly print?: (line: string) => Effect.Effect<void>
}

const eventLine = (event: PaymentEvent.PaymentEvent, note: string) =>
  `event    ${event.merchantId} from ${event.provider}: ${event.type} ${event.reference}${note}`

export const run = (options: Options = {}): Effect.Effect<Summary, unknown> =>
  Effect.gen(function* () {
    const print = options.print ?? (() => Effect.void)
    const sandbox = yield* Sandbox.serve()
    const server = yield* NodeHttpServer.make(() => createServer(), { port: 0, host: "127.0.0.1" })
    const port = server.address._tag === "TcpAddress" ? server.address.port : 0
    const config = PasarelaSetup.config(sandbox.baseUrl, { publicBaseUrl: `http://127.0.0.1:${port}/webhooks` })

    const events = yield* Queue.unbounded<PaymentEvent.PaymentEvent>()
    const pasarela = yield* Layer.build(
      Pasarela.layer(config, {
        onEvent: (event) => Queue.offer(events, event),
        // Node's keep-alive client; without it, the platform's fetch.
        httpClient: UndiciHttpClient.layer
      })
    ).pipe(Effect.withConfigProvider(ConfigProvider.fromJson(PasarelaSetup.env())))
    yield* server.serve(WebhookEndpoint.router().pipe(Effect.provide(pasarela)))
    const nextEvent = Queue.take(events).pipe(
      Effect.timeoutFail({ duration: Duration.seconds(10), onTimeout: () => new Error("no notification arrived") })
    )

    return yield* Effect.gen(function* () {
      const links = yield* PaymentLinks
      const charges = yield* Charges
      const lines: Array<string> = []
      const say = (line: string) =>
        Effect.zipRight(
          Effect.sync(() => lines.push(line)),
          print(line)
        )
      const received: Array<PaymentEvent.PaymentEvent> = []

      // 2. One link per hotel; the configuration decides which gateway serves it.
      const bogota = yield* links.create({
        merchantId: "hotel-bogota",
        reference: "BK-BOG-1001",
        description: "2 nights, double room",
        amount: Money.make("480000", "COP"),
        payer: guest,
        expiresIn: "24 hours"
      })
      const cartagena = yield* links.create({
        merchantId: "hotel-cartagena",
        reference: "BK-CTG-2001",
        description: "3 nights, sea view",
        amount: Money.make("1350000", "COP"),
        payer: guest,
        expiresIn: "24 hours",
        booking: { checkIn: "2026-12-20", checkOut: "2026-12-23", reservationId: "CTG-2001" }
      })
      for (const link of [bogota, cartagena]) {
        yield* say(`link     ${link.merchantId} on ${link.provider}: ${link.reference} ${link.amount} → ${link.url}`)
      }

      if (options.wait === true) {
        // 3. You are the guest: pay both links in a browser. Every event is shown as it arrives
        // (a declined card, a pending one) until both links are paid.
        yield* print(
          [
            "",
            "Open both links above in a browser and pay each with a test card (listed on the page),",
            "e.g. 4110 7600 0000 0081 on PlacetoPay, 4111 1111 1111 1111 on Autocore.",
            `Dashboard (every webhook delivery and what this app answered): ${sandbox.dashboardUrl}`,
            "Waiting for both payments… (Ctrl+C to stop)",
            ""
          ].join("\n")
        )
        const unpaid = new Set([bogota.reference, cartagena.reference])
        while (unpaid.size > 0) {
          const event = yield* Queue.take(events)
          received.push(event)
          if (event.type === "payment.approved") unpaid.delete(event.reference)
          yield* say(eventLine(event, event.verified ? " (verified)" : ""))
        }
      } else {
        // 3. The guests pay (the simulators' control endpoints play the payer).
        const bogotaId = Option.getOrThrow(RoutedId.decode(bogota.id)).id
        const cartagenaCode = Option.getOrThrow(RoutedId.decode(cartagena.id)).id
        yield* post(`${sandbox.baseUrl}/__sandbox/placetopay/links/${bogotaId}/pay`, {
          card: { number: "4110760000000081" }
        })
        yield* post(`${sandbox.baseUrl}/__sandbox/autocore/links/${cartagenaCode}/pay`, { outcome: "approved" })

        // 4. Both notifications arrive at the webhook endpoint, verified with each hotel's secret.
        for (let i = 0; i < 2; i++) received.push(yield* nextEvent)
        for (const event of received) yield* say(eventLine(event, event.verified ? " (verified)" : ""))
      }
      yield* say(`status   ${bogota.reference} on PlacetoPay is now ${(yield* links.get(bogota.id)).status}`)

      // 5. Front-desk card charges on the Autocore hotel.
      const charge = (reference: string, number: string) =>
        charges.create({
          merchantId: "hotel-cartagena",
          reference,
          description: "Minibar and late checkout",
          amount: Money.make("85000", "COP"),
          payer: guest,
          card: card(number)
        })
      const approved = yield* charge("FD-3001", "4111111111111111")
      const declined = yield* charge("FD-3002", "1111111111111111")
      const pending = yield* charge("FD-3003", "36417002140808")
      for (const c of [approved, declined, pending]) {
        yield* say(
          `charge   ${c.reference} card ****${c.lastDigits}: ${c.outcome}${c.declineReason ? ` (${c.declineReason})` : ""}`
        )
      }
      yield* post(`${sandbox.baseUrl}/__sandbox/autocore/charges/${pending.id}/settle`, {})
      const settled = yield* nextEvent
      received.push(settled)
      yield* say(eventLine(settled, " (settled)"))
      return { lines, events: received }
    }).pipe(Effect.provide(pasarela))
  }).pipe(Effect.scoped)

/** The demo as `pnpm demo` runs it, nothing printed: the guests are played by the control endpoints. */
export const main: Effect.Effect<Summary, unknown> = run()

if (import.meta.url === `file://${process.argv[1]}`) {
  const wait = process.argv.slice(2).includes("--wait")
  Effect.runPromise(
    Console.log("Pasarela demo — two hotels, two gateways, one API\n").pipe(
      Effect.zipRight(run({ wait, print: (line) => Console.log(line) }))
    )
  ).catch((error: unknown) => {
    console.error(error)
    process.exitCode = 1
  })
}
