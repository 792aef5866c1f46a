import { describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import { PlacetoPaySandbox } from "../src/index.js"
import { createLink, expectedSignature, localIn, queryLink, receiver, site1 } from "./placetopay-support.js"

const serve = PlacetoPaySandbox.serve({ sites: PlacetoPaySandbox.defaultSites })

const ISO_WITH_OFFSET = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}-05:00$/

describe("PlacetoPay sandbox notifications (spec §4.1)", () => {
  it.scopedLive("an approved payment POSTs a signed PAID notification", () =>
    Effect.gen(function* () {
      const hook = yield* receiver(200, "ok: booking BK-77 marked paid")
      const sandbox = yield* serve
      const link = yield* createLink(sandbox.baseUrl, site1, { notificationUrl: hook.url, reference: "BK-77" })
      const before = Date.now()
      yield* sandbox.payLink(link.id, { number: "4110760000000081" })

      expect(hook.received).toHaveLength(1)
      const { body, headers } = hook.received[0]!
      expect(headers["content-type"]).toMatch(/^application\/json/)
      expect(body).toEqual({
        status: {
          status: "PAID",
          reason: 200,
          message: expect.any(String),
          date: expect.stringMatching(ISO_WITH_OFFSET)
        },
        linkId: link.id,
        reference: "BK-77",
        signature: expect.stringMatching(/^[0-9a-f]{64}$/)
      })
      expect(body.signature).toBe(expectedSignature(link.id, "PAID", body.status.date, site1.secretKey))

      // The delivery log: when, what the receiver answered (status and body).
      const record = yield* sandbox.notifications
      expect(record).toEqual([
        {
          linkId: link.id,
          url: hook.url,
          body,
          responseStatus: 200,
          error: null,
          at: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/),
          responseBody: "ok: booking BK-77 marked paid"
        }
      ])
      expect(Date.parse(record[0]!.at)).toBeGreaterThanOrEqual(before - 1)
      expect(Date.parse(record[0]!.at)).toBeLessThanOrEqual(Date.now())
    })
  )

  it.scopedLive("the log keeps only the start of a long answer, and no body when none came", () =>
    Effect.gen(function* () {
      const hook = yield* receiver(500, `${"é".repeat(600)}${"x".repeat(2 * 1024 * 1024)}`)
      const sandbox = yield* serve
      const link = yield* createLink(sandbox.baseUrl, site1, { notificationUrl: hook.url })
      yield* sandbox.payLink(link.id, { number: "4110760000000081" })
      const unreachable = yield* createLink(sandbox.baseUrl, site1, { notificationUrl: "http://127.0.0.1:9/hook" })
      yield* sandbox.payLink(unreachable.id, { number: "4110760000000081" })
      const [long, none] = yield* sandbox.notifications
      expect(long!.responseStatus).toBe(500)
      // 1 KiB of the answer: 512 two-byte characters, then the ellipsis saying there was more.
      expect(long!.responseBody).toBe(`${"é".repeat(512)}…`)
      expect(none).toMatchObject({ responseStatus: null, responseBody: null, error: expect.any(String) })
    })
  )

  it.scopedLive("rejected payments notify nothing; pending ones notify when they settle approved", () =>
    Effect.gen(function* () {
      const hook = yield* receiver()
      const sandbox = yield* serve
      const link = yield* createLink(sandbox.baseUrl, site1, { notificationUrl: hook.url, isGeneric: true })
      yield* sandbox.payLink(link.id, { number: "4005580000000040" })
      const approving = yield* sandbox.payLink(link.id, { number: "4509564638437551" })
      const rejecting = yield* sandbox.payLink(link.id, { number: "4048370000000037" })
      expect([approving.status, rejecting.status]).toEqual(["PENDING", "PENDING"])
      expect(approving.receipt).toBeNull()
      expect(hook.received).toHaveLength(0)

      const pending = yield* queryLink(sandbox.baseUrl, site1, link.id)
      expect(pending.body.payments.map((p: { status: string }) => p.status)).toEqual(["REJECTED", "PENDING", "PENDING"])

      const settled = yield* sandbox.settlePending(link.id)
      expect(settled.map((p) => [p.id, p.status])).toEqual([
        [approving.id, "APPROVED"],
        [rejecting.id, "REJECTED"]
      ])
      expect(settled[0]!.authorization).toBe("000000")
      expect(hook.received.map((r) => r.body.status.status)).toEqual(["PAID"])
      expect(yield* sandbox.settlePending(link.id)).toEqual([])

      const after = yield* queryLink(sandbox.baseUrl, site1, link.id)
      expect(after.body.payments.map((p: { status: string }) => p.status)).toEqual(["REJECTED", "APPROVED", "REJECTED"])
    })
  )

  it.scopedLive("a pending payment holds the last slot of a single-use link", () =>
    Effect.gen(function* () {
      const sandbox = yield* serve
      const link = yield* createLink(sandbox.baseUrl, site1)
      yield* sandbox.payLink(link.id, { number: "4381080000000003" })
      expect((yield* Effect.flip(sandbox.payLink(link.id, { number: "4111111111111111" }))).reason).toBe(
        "LinkNotPayable"
      )
      yield* sandbox.settlePending(link.id)
      // Settled rejected: the slot is free again.
      expect((yield* sandbox.payLink(link.id, { number: "4111111111111111" })).status).toBe("APPROVED")
    })
  )

  it.scopedLive("the clock passing expirationDate expires the link and POSTs EXPIRED", () =>
    Effect.gen(function* () {
      const hook = yield* receiver()
      const sandbox = yield* serve
      const link = yield* createLink(sandbox.baseUrl, site1, {
        notificationUrl: hook.url,
        expirationDate: localIn(2 * 3600_000)
      })
      const paidLink = yield* createLink(sandbox.baseUrl, site1, { expirationDate: localIn(2 * 3600_000) })
      yield* sandbox.payLink(paidLink.id, { number: "4111111111111111" })

      yield* sandbox.advanceClock("1 hour")
      expect((yield* queryLink(sandbox.baseUrl, site1, link.id)).body.status).toBe("ACTIVE")
      expect(hook.received).toHaveLength(0)

      yield* sandbox.advanceClock("61 minutes")
      expect(hook.received).toHaveLength(1)
      const { body } = hook.received[0]!
      expect(body.status).toMatchObject({ status: "EXPIRED", reason: 200 })
      expect(body.status.date).toMatch(ISO_WITH_OFFSET)
      expect(Date.parse(body.status.date)).toBeGreaterThan(Date.now() + 2 * 3600_000 - 5_000)
      expect(body.signature).toBe(expectedSignature(link.id, "EXPIRED", body.status.date, site1.secretKey))

      expect((yield* queryLink(sandbox.baseUrl, site1, link.id)).body.status).toBe("EXPIRED")
      expect((yield* Effect.flip(sandbox.payLink(link.id, { number: "4111111111111111" }))).reason).toBe(
        "LinkNotPayable"
      )
      // A fully paid link is complete: it does not expire.
      expect((yield* queryLink(sandbox.baseUrl, site1, paidLink.id)).body).toMatchObject({
        status: "ACTIVE",
        availablePayments: 0
      })
      // Payment dates follow the sandbox clock.
      const snapshot = (yield* sandbox.links).find((l) => l.id === paidLink.id)!
      expect(Date.parse(snapshot.payments[0]!.paymentDate)).toBeLessThan(Date.parse(body.status.date))
    })
  )

  it.scopedLive("expireLink forces expiry and notifies", () =>
    Effect.gen(function* () {
      const hook = yield* receiver(500)
      const sandbox = yield* serve
      const link = yield* createLink(sandbox.baseUrl, site1, { notificationUrl: hook.url })
      const snapshot = yield* sandbox.expireLink(link.id)
      expect(snapshot.status).toBe("EXPIRED")
      expect(hook.received.map((r) => r.body.status.status)).toEqual(["EXPIRED"])
      // One attempt only, even when the merchant answers 500.
      const record = yield* sandbox.notifications
      expect(record.map((n) => n.responseStatus)).toEqual([500])
      expect((yield* Effect.flip(sandbox.expireLink(link.id))).reason).toBe("LinkNotActive")
    })
  )

  it.scopedLive("an unreachable notificationUrl is recorded, never a crash", () =>
    Effect.gen(function* () {
      const sandbox = yield* serve
      const link = yield* createLink(sandbox.baseUrl, site1, { notificationUrl: "http://127.0.0.1:9/hook" })
      const payment = yield* sandbox.payLink(link.id, { number: "4111111111111111" })
      expect(payment.status).toBe("APPROVED")
      const [record] = yield* sandbox.notifications
      expect(record).toMatchObject({ linkId: link.id, responseStatus: null, error: expect.any(String) })
    })
  )

  it.scopedLive("expiry found lazily by an API call notifies in the background", () =>
    Effect.gen(function* () {
      const hook = yield* receiver()
      const sandbox = yield* PlacetoPaySandbox.serve({ sites: PlacetoPaySandbox.defaultSites })
      const link = yield* createLink(sandbox.baseUrl, site1, {
        notificationUrl: hook.url,
        expirationDate: localIn(1_200)
      })
      yield* Effect.sleep("1300 millis")
      expect((yield* queryLink(sandbox.baseUrl, site1, link.id)).body.status).toBe("EXPIRED")
      const record = yield* sandbox.notifications
      expect(record.map((n) => [n.linkId, n.body.status.status, n.responseStatus])).toEqual([[link.id, "EXPIRED", 200]])
    })
  )
})
