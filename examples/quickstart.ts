/**
 * Pasarela quick start on the in-memory provider: no account, no network.
 *
 *   pnpm exec tsx --conditions=@pasarela/source examples/quickstart.ts
 *
 * `program` depends on the service tags only. Provide `PlacetoPay.layer(...)` or
 * `Autocore.layer(...)` instead of `Memory.layer()` and the same code talks to a real gateway; the
 * `MemoryControl` steps (paying, settling) are what a guest and the gateway would do there.
 */
import { pathToFileURL } from "node:url"
import { Card, type Charge, Charges, Money, PaymentLinks, Webhooks } from "@pasarela/core"
import { Memory, MemoryControl, TestCards } from "@pasarela/memory"
import * as Console from "effect/Console"
import * as Effect from "effect/Effect"

export interface Summary {
  readonly link: { readonly id: string; readonly url: string; readonly status: string; readonly expiresAt: string }
  readonly event: {
    readonly type: string
    readonly reference: string
    readonly amount: string
    readonly dedupeKey: string
  }
  readonly charges: ReadonlyArray<{
    readonly reference: string
    readonly card: string
    readonly outcome: Charge.ChargeOutcome
    readonly settledTo?: Charge.ChargeOutcome
    readonly declineReason?: string
  }>
}

const payer = {
  name: "Laura",
  surname: "Pelaez",
  email: "laura.pelaez@example.com",
  phone: { callingCode: "+57", number: "3001234567" },
  document: { type: "CC", number: "1020304050" }
}

/** A front-desk charge of 50,000 COP on one of the test cards. */
const chargeCard = (reference: string, number: string) =>
  Effect.flatMap(Charges, (charges) =>
    charges.create({
      reference,
      description: "Minibar and late checkout",
      amount: Money.make("50000", "COP"),
      payer,
      card: Card.make({ number, cvv: "123", expiryMonth: 12, expiryYear: 2099, holderName: "LAURA PELAEZ" })
    })
  )

export const program = Effect.gen(function* () {
  const links = yield* PaymentLinks
  const webhooks = yield* Webhooks
  const memory = yield* MemoryControl

  // 1. A payment link for a hotel booking, valid for 24 hours.
  const link = yield* links.create({
    reference: "BK-2041",
    description: "Hotel Casa Azul: 2 nights, double room",
    amount: Money.make("120000", "COP"),
    payer,
    expiresIn: "24 hours"
  })

  // 2. The guest pays it.
  yield* memory.payLink(link.id)

  // 3. The gateway notifies your webhook endpoint, which verifies the raw notification.
  const event = yield* webhooks.verify(yield* memory.takeNotification)

  // 4. Card charges: approved, declined, and pending until the gateway settles it.
  const approved = yield* chargeCard("FOLIO-301", TestCards.approved.visa)
  const declined = yield* chargeCard("FOLIO-302", TestCards.declined.visa)
  const pending = yield* chargeCard("FOLIO-303", TestCards.pendingThenApproved.visa)
  const settled = yield* memory.settleCharge(pending.id)

  const current = yield* links.get(link.id)
  const summary: Summary = {
    link: {
      id: current.id,
      url: current.url,
      status: current.status,
      expiresAt: current.expiresAt?.toISOString() ?? "never"
    },
    event: {
      type: event.type,
      reference: event.reference,
      amount: event.amount?.toString() ?? "-",
      dedupeKey: event.dedupeKey
    },
    charges: [approved, declined, pending].map((charge) => ({
      reference: charge.reference,
      card: `**** ${charge.lastDigits}`,
      outcome: charge.outcome,
      ...(charge.id === settled.id ? { settledTo: settled.outcome } : {}),
      ...(charge.declineReason === undefined ? {} : { declineReason: charge.declineReason })
    }))
  }
  return summary
})

export const format = (summary: Summary): string =>
  [
    `Payment link ${summary.link.id}: ${summary.link.status}, expires ${summary.link.expiresAt}`,
    `  ${summary.link.url}`,
    `Notification: ${summary.event.type} for ${summary.event.reference}, ${summary.event.amount} (dedupe key ${summary.event.dedupeKey})`,
    "Card charges:",
    ...summary.charges.map(
      (c) =>
        `  ${c.reference}  ${c.card}  ${c.outcome}${c.settledTo === undefined ? "" : ` → ${c.settledTo}`}${
          c.declineReason === undefined ? "" : ` (${c.declineReason})`
        }`
    )
  ].join("\n")

/** The whole quick start, on a fresh memory provider. */
export const main = program.pipe(Effect.provide(Memory.layer()))

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  Effect.runPromise(Effect.flatMap(main, (summary) => Console.log(format(summary)))).catch((error: unknown) => {
    console.error(error)
    process.exitCode = 1
  })
}
