import { describe, expect, it } from "@effect/vitest"
import { Money } from "@pasarela/core"
import * as Duration from "effect/Duration"
import * as Either from "effect/Either"
import * as Redacted from "effect/Redacted"
import * as Mapping from "../src/Mapping.js"
import * as Webhooks from "../src/Webhooks.js"
import type * as Wire from "../src/Wire.js"
import { card, charge, giftCard, link, now, order, settings, stamp, webhookSecret } from "./fixtures.js"

const right = <A>(either: Either.Either<A, Mapping.Refusal>): A => {
  if (Either.isLeft(either)) throw new Error(`expected a mapping, got ${either.left.description}`)
  return either.right
}

const refusal = <A>(either: Either.Either<A, Mapping.Refusal>): Mapping.Refusal => {
  if (Either.isRight(either)) throw new Error("expected a refusal")
  return either.left
}

const invalidPaths = (either: Either.Either<unknown, Mapping.Refusal>) => {
  const reason = refusal(either)
  expect(reason._tag).toBe("InvalidRequest")
  return reason._tag === "InvalidRequest" ? reason.issues.map((issue) => issue.path) : []
}

const unsupportedDetail = (either: Either.Either<unknown, Mapping.Refusal>) => {
  const reason = refusal(either)
  expect(reason._tag).toBe("Unsupported")
  return reason._tag === "Unsupported" ? reason.detail : ""
}

describe("payment links", () => {
  it("maps every field of a full input", () => {
    const plan = right(
      Mapping.linkRequest(
        link({
          expiresIn: "24 hours",
          booking: { checkIn: "2026-01-27", checkOut: "2026-01-29", reservationId: "R-77" },
          paymentMethods: [
            "nequi",
            "daviplata",
            "pse",
            "card",
            "sinpe_movil",
            "preloaded_balance",
            "gift_card",
            "card"
          ],
          notificationUrl: "https://hooks.example.com/autocore?x=1",
          returnUrls: { success: "https://hotel.example/ok", failure: "https://hotel.example/ko" },
          installments: 3,
          maxPayments: 1,
          providerOptions: { autocore: { source: "Autocore WebApp" }, placetopay: { ignored: true } }
        }),
        settings,
        stamp
      )
    )
    const { temp_webhook_url, ...body } = plan.body
    expect(body).toEqual({
      hotel_id: 5,
      guest_name: "Laura Pelaez",
      email: "laura@example.com",
      country_code: "CO",
      phone: "+573012104512",
      available_hours: 24,
      description: "Reserva de 3 dias en Hotel ABC",
      booking_dates: "2026-01-27 - 2026-01-29",
      source: "Autocore WebApp",
      external_ref_id: "BK-00230690",
      reservation_id: "R-77",
      amount: 120000,
      currency: "COP",
      installments: 3,
      allowed_payment_options: [
        "nequi",
        "daviplata",
        "pse",
        "credit_card",
        "sinpe_movil",
        "preloaded_balance",
        "gift_cards"
      ],
      redirect: { success_url: "https://hotel.example/ok", failure_url: "https://hotel.example/ko" }
    })
    const url = new URL(temp_webhook_url!)
    expect(url.origin + url.pathname).toBe("https://hooks.example.com/autocore")
    expect(url.searchParams.get("x")).toBe("1")
    expect(url.searchParams.get(Webhooks.KIND_PARAM)).toBe("link")
    expect(url.searchParams.get(Webhooks.NONCE_PARAM)).toBe(stamp.nonce)
    // A link's token outlives the link by the token lifetime (30 days in these settings).
    const expiresAt = (now.getTime() + Duration.toMillis("24 hours") + Duration.toMillis("30 days")) / 1000
    expect(url.searchParams.get(Webhooks.EXPIRES_PARAM)).toBe(String(expiresAt))
    expect(url.searchParams.get(Webhooks.TOKEN_PARAM)).toBe(
      Webhooks.webhookToken(
        {
          merchantId: "hotel-abc",
          kind: "link",
          reference: "BK-00230690",
          currency: "COP",
          nonce: stamp.nonce,
          expiresAt
        },
        webhookSecret
      )
    )
    expect(plan.expiresAt).toEqual(new Date(now.getTime() + Duration.toMillis("24 hours")))
  })

  it("omits absent values instead of sending null", () => {
    const plan = right(Mapping.linkRequest(link({ payer: { name: "Laura", email: "l@example.com" } }), settings, stamp))
    expect(plan.body).toEqual({
      hotel_id: 5,
      guest_name: "Laura",
      email: "l@example.com",
      description: "Reserva de 3 dias en Hotel ABC",
      external_ref_id: "BK-00230690",
      amount: 120000,
      currency: "COP"
    })
    expect(JSON.stringify(plan.body)).not.toContain("null")
    expect(plan.expiresAt).toBeUndefined()
  })

  it("takes source and notification URL from the configuration by default", () => {
    const plan = right(
      Mapping.linkRequest(
        link(),
        { ...settings, source: "Bitrix24", notificationUrl: "https://hooks.example.com/a" },
        stamp
      )
    )
    expect(plan.body.source).toBe("Bitrix24")
    expect(Webhooks.verifyWebhookUrl(plan.body.temp_webhook_url!, "hotel-abc", "BK-00230690", webhookSecret)).toBe(true)
  })

  it("rounds the lifetime up to whole hours and reports the effective expiry", () => {
    const cases: ReadonlyArray<readonly [string, number]> = [
      ["1 millis", 1],
      ["59 minutes", 1],
      ["60 minutes", 1],
      ["61 minutes", 2],
      ["90 minutes", 2],
      ["23 hours", 23],
      ["365 days", 8760]
    ]
    for (const [lifetime, hours] of cases) {
      const plan = right(Mapping.linkRequest(link({ expiresIn: lifetime }), settings, stamp))
      expect(plan.body.available_hours, String(lifetime)).toBe(hours)
      expect(plan.expiresAt!.getTime() - now.getTime()).toBe(hours * 3_600_000)
    }
    const at = right(Mapping.linkRequest(link({ expiresAt: new Date(now.getTime() + 150 * 60_000) }), settings, stamp))
    expect(at.body.available_hours).toBe(3)
    expect(at.expiresAt).toEqual(new Date(now.getTime() + 3 * 3_600_000))
  })

  it("refuses an expiry that is not in the future", () => {
    expect(invalidPaths(Mapping.linkRequest(link({ expiresAt: now }), settings, stamp))).toEqual(["expiresAt"])
  })

  it("refuses fractional amounts before any I/O", () => {
    expect(
      invalidPaths(Mapping.linkRequest(link({ amount: Money.make("120000.50", "COP") }), settings, stamp))
    ).toEqual(["amount"])
    expect(invalidPaths(Mapping.linkRequest(link({ amount: Money.make("0", "COP") }), settings, stamp))).toEqual([
      "amount"
    ])
  })

  it("requires a payer with an email", () => {
    expect(invalidPaths(Mapping.linkRequest(link({ payer: undefined }), settings, stamp))).toEqual(["payer"])
    expect(invalidPaths(Mapping.linkRequest(link({ payer: { name: "Laura" } }), settings, stamp))).toEqual([
      "payer.email"
    ])
  })

  it("refuses, naming each, the fields Autocore cannot honour", () => {
    const detail = unsupportedDetail(
      Mapping.linkRequest(
        link({
          title: "Reserva",
          taxes: [{ kind: "valueAddedTax", amount: Money.make("19000", "COP") }],
          locale: "es_CO",
          metadata: { room: "12" },
          maxPayments: 2,
          paymentMethods: ["visa", "card", "cash"],
          payer: {
            name: "Laura",
            email: "l@example.com",
            document: { type: "CC", number: "123456" },
            address: "Calle 1",
            ip: "181.204.153.195"
          }
        }),
        settings,
        stamp
      )
    )
    for (const field of [
      "title",
      "taxes",
      "locale",
      "metadata",
      "maxPayments",
      "paymentMethods[0]",
      "paymentMethods[2]",
      "payer.document",
      "payer.address",
      "payer.ip"
    ]) {
      expect(detail).toContain(`${field} (`)
    }
    expect(detail).not.toContain("paymentMethods[1]")
  })

  it("accepts an empty tax list (nothing to carry)", () => {
    expect(Either.isRight(Mapping.linkRequest(link({ taxes: [] }), settings, stamp))).toBe(true)
  })

  it("refuses an empty method list, unknown Autocore options, a foreign merchant and a clear-text notification URL", () => {
    expect(
      invalidPaths(
        Mapping.linkRequest(
          link({
            paymentMethods: [],
            merchantId: "other",
            notificationUrl: "http://hooks.example.com/a",
            providerOptions: { autocore: { sorce: "typo" } }
          }),
          settings,
          stamp
        )
      ).sort()
    ).toEqual(["merchantId", "notificationUrl", "paymentMethods", "providerOptions.autocore.sorce"])
  })

  it("refuses a notification URL with credentials in it, on every create", () => {
    const url = "https://user:pass@hooks.example.com/autocore"
    const issues = (result: Either.Either<unknown, Mapping.Refusal>) =>
      Either.match(result, {
        onLeft: (refusal) =>
          refusal._tag === "InvalidRequest" ? refusal.issues.map((i) => `${i.path}: ${i.message}`) : [],
        onRight: () => []
      })
    const expected = ["notificationUrl: must not carry credentials (user:password@)"]
    expect(issues(Mapping.linkRequest(link({ notificationUrl: url }), settings, stamp))).toEqual(expected)
    expect(issues(Mapping.chargeRequest(charge({ notificationUrl: url }), settings, stamp))).toEqual(expected)
    expect(issues(Mapping.orderRequest(order({ notificationUrl: url }), settings, stamp))).toEqual(expected)
    expect(issues(Mapping.giftCardRequest(giftCard({ notificationUrl: url }), settings, stamp))).toEqual(expected)
  })

  it("allows http notification URLs on loopback", () => {
    expect(
      Either.isRight(Mapping.linkRequest(link({ notificationUrl: "http://127.0.0.1:8080/hook" }), settings, stamp))
    ).toBe(true)
  })

  it("maps the answer to an active link with the effective expiry", () => {
    const input = link({ expiresIn: "90 minutes" })
    const plan = right(Mapping.linkRequest(input, settings, stamp))
    const result = Mapping.linkResult(
      input,
      {
        msg: "Link de pago generado exitosamente",
        url: "https://app-dev.autocore.pro/payment/hotel_abc/25n0hcw84uio",
        code: "25n0hcw84uio"
      },
      plan,
      settings
    )
    expect(result).toMatchObject({
      id: "25n0hcw84uio",
      provider: "autocore",
      merchantId: "hotel-abc",
      url: "https://app-dev.autocore.pro/payment/hotel_abc/25n0hcw84uio",
      reference: "BK-00230690",
      status: "active",
      providerStatus: "Link de pago generado exitosamente",
      expiresAt: new Date(now.getTime() + 2 * 3_600_000),
      payments: []
    })
    expect(Money.equals(result.amount, input.amount)).toBe(true)
  })
})

describe("card charges", () => {
  it("maps every order field and keeps the card fields redacted for the cipher", () => {
    const plan = right(
      Mapping.chargeRequest(
        charge({
          taxRate: "0.19",
          serviceRate: "0.1000",
          installments: 2,
          notificationUrl: "https://hooks.example.com/autocore",
          providerOptions: { autocore: { source: "Autocore WebApp" } }
        }),
        settings,
        stamp
      )
    )
    const { temp_webhook_url, ...order } = plan.order
    expect(order).toEqual({
      ref_name: "Jhon",
      ref_lastname: "Doe",
      ref_number: "123456789",
      external_ref_id: "123456789",
      source: "Autocore WebApp",
      detail: "Booking payment Hotel ABC",
      amount: 1000,
      installments: 2,
      tax_percent: 0.19,
      service_percent: 0.1,
      hotel_id: 5,
      email: "jhon@example.com",
      phone: "+573012104578",
      address: "My address",
      fiscal_number: "123456789",
      ip: "181.204.153.195"
    })
    expect(new URL(temp_webhook_url!).searchParams.get(Webhooks.KIND_PARAM)).toBe("charge")
    expect(Object.fromEntries(Object.entries(plan.card).map(([k, v]) => [k, Redacted.value(v)]))).toEqual({
      cc_number: "4111111111111111",
      cc_code: "123",
      cc_expire_month: "12",
      cc_expire_year: String(now.getUTCFullYear() + 3),
      cc_holder: "JOHN DOE"
    })
    for (const value of Object.values(plan.card)) expect(String(value)).toBe("<redacted>")
  })

  it("defaults installments to 1, pads the month, sends amounts with cents", () => {
    const plan = right(
      Mapping.chargeRequest(
        charge({ amount: Money.make("1000.5", "COP"), card: card("4111111111111111", { expiryMonth: 3 }) }),
        settings,
        stamp
      )
    )
    expect(plan.order.installments).toBe(1)
    expect(plan.order.amount).toBe(1000.5)
    expect(Redacted.value(plan.card.cc_expire_month)).toBe("03")
    expect(plan.order.currency).toBeUndefined()
  })

  it("limits the detail to 99 characters", () => {
    expect(Either.isRight(Mapping.chargeRequest(charge({ description: "x".repeat(99) }), settings, stamp))).toBe(true)
    expect(invalidPaths(Mapping.chargeRequest(charge({ description: "x".repeat(100) }), settings, stamp))).toEqual([
      "description"
    ])
  })

  it("takes rates from 0 to 1 with at most two decimals", () => {
    const ok = right(Mapping.chargeRequest(charge({ taxRate: "1", serviceRate: "0" }), settings, stamp))
    expect([ok.order.tax_percent, ok.order.service_percent]).toEqual([1, 0])
    expect(
      invalidPaths(Mapping.chargeRequest(charge({ taxRate: "0.195", serviceRate: "0.125" }), settings, stamp))
    ).toEqual(["taxRate", "serviceRate"])
  })

  it("refuses an expired card, judged in Autocore's zone", () => {
    // 2026-02-01 03:00 UTC is still January 31st in Colombia: a card expiring 01/2026 is valid there.
    const turnOfMonth = new Date("2026-02-01T03:00:00Z")
    const january = charge({ card: card("4111111111111111", { expiryMonth: 1, expiryYear: 2026 }) })
    expect(Either.isRight(Mapping.chargeRequest(january, settings, { now: turnOfMonth, nonce: stamp.nonce }))).toBe(
      true
    )
    expect(
      invalidPaths(
        Mapping.chargeRequest(january, settings, { now: new Date("2026-02-01T06:00:00Z"), nonce: stamp.nonce })
      )
    ).toEqual(["card"])
  })

  it("requires the payer's surname and an IPv4 address", () => {
    expect(
      invalidPaths(Mapping.chargeRequest(charge({ payer: { name: "Jhon", ip: "2001:db8::1" } }), settings, stamp))
    ).toEqual(["payer.surname", "payer.ip"])
  })

  it("charges only in the configured currency unless sendCurrency is set", () => {
    const usd = charge({ amount: Money.make("10.25", "USD") })
    expect(invalidPaths(Mapping.chargeRequest(usd, settings, stamp))).toEqual(["amount"])
    const plan = right(Mapping.chargeRequest(usd, { ...settings, sendCurrency: true }, stamp))
    expect([plan.order.amount, plan.order.currency]).toEqual([10.25, "USD"])
  })

  it("refuses amounts a JSON number cannot carry exactly", () => {
    expect(
      invalidPaths(Mapping.chargeRequest(charge({ amount: Money.make("999999999999999.99", "COP") }), settings, stamp))
    ).toEqual(["amount"])
  })

  it("refuses the payer's country and metadata", () => {
    const detail = unsupportedDetail(
      Mapping.chargeRequest(
        charge({
          payer: { name: "Jhon", surname: "Doe", country: "CO" },
          metadata: { folio: "1" }
        }),
        settings,
        stamp
      )
    )
    expect(detail).toContain("payer.country (")
    expect(detail).toContain("metadata (")
  })

  const details = (status_code: string, extra: Partial<Wire.Details> = {}): Wire.Details => ({
    type: "charge",
    id: "123456789",
    external_ref_id: "123456789",
    status_code,
    status_detail: "x",
    comments: "Pago con referencia 123456789 procesado correctamente",
    transaction_id: "RB-703242",
    transaction_date: "2025-04-23 12:45:24.706330",
    ...extra
  })

  it("reads an approved answer, resolving a relative voucher URL", () => {
    const result = Either.getOrThrow(
      Mapping.chargeAccepted(
        charge(),
        {
          msg: "Pago realizado correctamente",
          voucher_url: "v2/terminal-payments/481/vouchers",
          details: details("applied")
        },
        settings
      )
    )
    expect(result).toMatchObject({
      id: "RB-703242",
      provider: "autocore",
      merchantId: "hotel-abc",
      reference: "123456789",
      outcome: "approved",
      providerStatus: "applied",
      voucherUrl: "https://api-dev.autocore.pro/v2/terminal-payments/481/vouchers",
      lastDigits: "1111",
      processedAt: new Date("2025-04-23T17:45:24.706Z")
    })
    expect(result.declineReason).toBeUndefined()
  })

  it("reads a pending answer, keeping an absolute voucher URL", () => {
    const result = Either.getOrThrow(
      Mapping.chargeAccepted(
        charge(),
        {
          payment_status: "En proceso",
          amount: 1000,
          payment_date: "2025-05-20T11:21:06.417487",
          company: "Company Example",
          hotel: "Booking payment Hotel ABC",
          voucher_url: "https://api-dev.autocore.pro/v2/terminal-payments/xxx/vouchers",
          transaction_id: "7e83a7a2-54c6-4ce0-9a8b-660348805b2a",
          external_ref_id: "123456789",
          details: details("in_process", { transaction_id: "7e83a7a2-54c6-4ce0-9a8b-660348805b2a" })
        },
        settings
      )
    )
    expect(result.outcome).toBe("pending")
    expect(result.id).toBe("7e83a7a2-54c6-4ce0-9a8b-660348805b2a")
    expect(result.voucherUrl).toBe("https://api-dev.autocore.pro/v2/terminal-payments/xxx/vouchers")
  })

  it("reads the 400 rejection as a declined charge with its reason", () => {
    const result = Either.getOrThrow(
      Mapping.chargeRejected(
        charge(),
        {
          code: 0,
          message: "Error http: 400",
          detail: "El pago ha sido rechazado",
          extra_info: {
            voucher_url: "v2/terminal-payments/481/vouchers",
            details: details("rejected", { transaction_id: null, comments: "Fondos insuficientes." })
          }
        },
        settings
      )
    )
    expect(result).toMatchObject({ id: "123456789", outcome: "declined", declineReason: "Fondos insuficientes." })
    const invalidCard = Either.getOrThrow(
      Mapping.chargeRejected(
        charge(),
        {
          code: 0,
          message: "Error http: 400",
          detail: "El pago ha sido rechazado",
          extra_info: {
            details: details("invalid_card", { comments: null, status_detail: null, transaction_id: null })
          }
        },
        settings
      )
    )
    expect(invalidCard.declineReason).toBe("invalid card")
  })

  it("never guesses an unknown status", () => {
    expect(Mapping.chargeAccepted(charge(), { msg: "?", details: details("chargeback") }, settings)).toEqual(
      Either.left("chargeback")
    )
    expect(
      Mapping.chargeRejected(
        charge(),
        { code: 0, message: "", detail: "", extra_info: { details: details("applied") } },
        settings
      )
    ).toEqual(Either.left("applied"))
  })
})

describe("cash orders", () => {
  it("maps every field", () => {
    const body = right(
      Mapping.orderRequest(
        order({ taxRate: "0.19", serviceRate: "0.05", notificationUrl: "https://hooks.example.com/autocore" }),
        settings,
        stamp
      )
    )
    const { temp_webhook_url, ...rest } = body.order
    expect(rest).toEqual({
      ref_name: "Jhon",
      ref_lastname: "Doe",
      ref_number: "CASH-1",
      detail: "Booking payment Hotel ABC",
      amount: 123000,
      tax_percent: 0.19,
      service_percent: 0.05,
      hotel_id: 5,
      email: "jhon@example.com",
      fiscal_number: "123456789",
      phone: "+573012105687",
      ip: "181.204.153.195",
      external_ref_id: "CASH-1"
    })
    expect(new URL(temp_webhook_url!).searchParams.get(Webhooks.KIND_PARAM)).toBe("order")
    expect(body.cash).toEqual({
      address: "My address",
      user_type: "N",
      fiscal_number_type: "CC",
      payment_type: "daviplata",
      response_url: "https://mywebpage/payment/response"
    })
  })

  it("requires the payer's identity and COP", () => {
    expect(
      invalidPaths(
        Mapping.orderRequest(order({ payer: { name: "Jhon" }, amount: Money.make("10", "USD") }), settings, stamp)
      )
    ).toEqual(["payer.surname", "payer.email", "payer.document", "payer.phone", "payer.address", "payer.ip", "amount"])
  })

  it("refuses a source and the payer's country", () => {
    const detail = unsupportedDetail(
      Mapping.orderRequest(
        order({
          providerOptions: { autocore: { source: "Autocore WebApp" } },
          payer: { ...order().payer, country: "CO" } as never
        }),
        settings,
        stamp
      )
    )
    expect(detail).toContain("providerOptions.autocore.source (")
    expect(detail).toContain("payer.country (")
  })

  it("maps the answer to a pending order", () => {
    const result = Mapping.orderResult(
      order(),
      { transaction_id: "453593318", apm_detail_id: 75, checkout_url: "https://cdn-int.safecharge.com/x?y=1" },
      settings
    )
    expect(result).toMatchObject({
      id: "453593318",
      provider: "autocore",
      merchantId: "hotel-abc",
      reference: "CASH-1",
      status: "pending",
      checkoutUrl: "https://cdn-int.safecharge.com/x?y=1"
    })
  })
})

describe("gift cards", () => {
  it("maps every field, splitting the phone into calling code and number", () => {
    const body = right(Mapping.giftCardRequest(giftCard(), settings, stamp))
    const { temp_webhook_url, ...rest } = body
    expect(rest).toEqual({
      sender: {
        name: "Jhon Doe",
        document_type: "CC",
        document_number: "11113333",
        email: "jhon@example.com",
        address: "123 Main St",
        phone: "5551234",
        country_code: "+57"
      },
      recipient: { name: "Jane Doe", email: "jane@example.com" },
      amount: 50000,
      currency: "COP",
      note: "Happy Birthday!",
      external_ref_id: "id_345",
      success_url: "https://app-dev.autocore.pro/",
      failure_url: "https://app.autocore.pro/"
    })
    expect(Webhooks.verifyWebhookUrl(temp_webhook_url, "hotel-abc", "id_345", webhookSecret)).toBe(true)
    expect(new URL(temp_webhook_url).searchParams.get(Webhooks.KIND_PARAM)).toBe("giftCard")
  })

  it("requires a notification URL from the input or the configuration", () => {
    expect(invalidPaths(Mapping.giftCardRequest(giftCard({ notificationUrl: undefined }), settings, stamp))).toEqual([
      "notificationUrl"
    ])
    const body = right(
      Mapping.giftCardRequest(
        giftCard({ notificationUrl: undefined }),
        {
          ...settings,
          notificationUrl: "https://hooks.example.com/default"
        },
        stamp
      )
    )
    expect(body.temp_webhook_url.startsWith("https://hooks.example.com/default?")).toBe(true)
  })

  it("accepts COP and USD and Autocore's document types only", () => {
    expect(
      Either.isRight(Mapping.giftCardRequest(giftCard({ amount: Money.make("25.50", "USD") }), settings, stamp))
    ).toBe(true)
    expect(
      invalidPaths(
        Mapping.giftCardRequest(
          giftCard({
            amount: Money.make("10", "EUR"),
            sender: { ...giftCard().sender, document: { type: "CE", number: "123456" } }
          }),
          settings,
          stamp
        )
      )
    ).toEqual(["amount", "sender.document.type"])
  })

  it("maps the answer to a gift card awaiting payment", () => {
    const result = Mapping.giftCardResult(
      giftCard(),
      {
        msg: "Tarjeta de regalo creada correctamente",
        gift_card_code: "D32X693Q33",
        payment_link: "https://app-dev.autocore.pro/payment/marina/GC_4uykdvkhgb",
        payment_link_code: "GC_4uykdvkhgb"
      },
      settings
    )
    expect(result).toMatchObject({
      code: "D32X693Q33",
      reference: "id_345",
      status: "pending_payment",
      paymentLink: { id: "GC_4uykdvkhgb", url: "https://app-dev.autocore.pro/payment/marina/GC_4uykdvkhgb" }
    })
  })
})

describe("helpers", () => {
  it("resolves voucher URLs", () => {
    expect(Mapping.resolveVoucherUrl("v2/terminal-payments/1/vouchers", "http://127.0.0.1:4000")).toBe(
      "http://127.0.0.1:4000/v2/terminal-payments/1/vouchers"
    )
    expect(Mapping.resolveVoucherUrl("https://cdn.example/v/1", "https://api.autocore.pro")).toBe(
      "https://cdn.example/v/1"
    )
    expect(Mapping.resolveVoucherUrl(null, "https://api.autocore.pro")).toBeUndefined()
  })

  it("maps a hotels page", () => {
    expect(
      Mapping.hotelsPage({
        paginate_info: { start: 0, items: 2, total_items: 3, total_pages: 2 },
        data: [
          { id: 1, name: "Hotel Marina", currency: "COP" },
          { id: 5, name: "Hotel ABC", currency: "COP" }
        ]
      })
    ).toEqual({
      hotels: [
        { id: 1, name: "Hotel Marina", currency: "COP" },
        { id: 5, name: "Hotel ABC", currency: "COP" }
      ],
      offset: 0,
      totalItems: 3,
      totalPages: 2,
      hasMore: true
    })
  })
})
