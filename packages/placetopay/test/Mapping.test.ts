import { describe, expect, it } from "@effect/vitest"
import { Money, type PaymentError, PaymentLink } from "@pasarela/core"
import * as Duration from "effect/Duration"
import * as Either from "effect/Either"
import * as Schema from "effect/Schema"
import { Mapping, Wire } from "../src/index.js"

const NOW = Date.parse("2026-01-27T15:15:00.400Z") // 10:15:00 in Bogotá
const settings: Mapping.Settings = {
  timeZone: "America/Bogota",
  defaultLinkLifetime: Duration.hours(24),
  sessionMinutes: 15
}

const decodeInput = Schema.decodeUnknownSync(PaymentLink.CreatePaymentLink)
const base = { reference: "BK-1", description: "2 noches, habitación doble", amount: Money.make("120000", "COP") }
const input = (fields: Record<string, unknown> = {}) => decodeInput({ ...base, ...fields })

const body = (fields: Record<string, unknown> = {}, s: Mapping.Settings = settings) =>
  Either.getOrThrowWith(Mapping.toCreateRequest(input(fields), NOW, s), (e) => e)
const refusal = (fields: Record<string, unknown>, s: Mapping.Settings = settings): PaymentError.PaymentError =>
  Either.getOrThrowWith(Either.flip(Mapping.toCreateRequest(input(fields), NOW, s)), () => new Error("accepted"))

const issuesOf = (error: PaymentError.PaymentError) => {
  if (error.reason._tag !== "InvalidRequest") throw new Error(`expected InvalidRequest, got ${error.reason._tag}`)
  return error.reason.issues.map((i) => ({ path: i.path, message: i.message }))
}
const unsupportedDetail = (error: PaymentError.PaymentError) => {
  if (error.reason._tag !== "Unsupported") throw new Error(`expected Unsupported, got ${error.reason._tag}`)
  return error.reason.detail
}

describe("Mapping.toCreateRequest", () => {
  it("maps the neutral minimum with the documented defaults", () => {
    const request = body()
    expect(request).toEqual({
      name: base.description,
      reference: "BK-1",
      description: base.description,
      expirationDate: "2026-01-28 10:15:00",
      paymentExpiration: 15,
      paymentsAllowed: 1,
      isGeneric: false,
      payment: { amount: { currency: "COP", total: 120000 } }
    })
    // What we send is what the wire schema describes.
    expect(Schema.is(Wire.CreateLinkRequest)(request)).toBe(true)
  })

  it("maps every field PlacetoPay can carry", () => {
    const request = body({
      title: "Reserva BK-1",
      taxes: [
        { kind: "valueAddedTax", amount: Money.make("19160", "COP"), base: Money.make("100840", "COP") },
        { kind: "municipalTax", amount: Money.make("500.5", "COP") }
      ],
      payer: {
        name: "Laura",
        surname: "Peláez",
        email: "laura@example.com",
        phone: { callingCode: "+57", number: "3001234567" }
      },
      expiresAt: new Date("2026-02-01T20:30:45.900Z"),
      paymentMethods: ["card", "pse", "visa"],
      maxPayments: 3,
      notificationUrl: "https://hotel.example/hooks/placetopay",
      locale: "en_US",
      metadata: { room: "201", channel: "web" },
      providerOptions: {
        placetopay: {
          sessionMinutes: 30,
          modifiers: [{ type: "FEDERAL_GOVERNMENT", code: 17934, additional: { invoice: "123456777" } }],
          skipResult: true,
          recipients: [{ email: "frontdesk@hotel.example", phoneNumber: "+573009999999", sendWhatsapp: true }],
          additional: [{ keyword: "folio", value: { id: 7 }, displayOn: "both" }]
        },
        // Options for other providers are not ours to judge.
        autocore: { source: "anything" }
      }
    })
    expect(request).toEqual({
      name: "Reserva BK-1",
      reference: "BK-1",
      description: base.description,
      expirationDate: "2026-02-01 15:30:45",
      paymentExpiration: 30,
      paymentsAllowed: 3,
      isGeneric: true,
      payment: {
        amount: {
          currency: "COP",
          total: 120000,
          taxes: [
            { kind: "valueAddedTax", amount: 19160, base: 100840 },
            { kind: "municipalTax", amount: 500.5 }
          ]
        },
        modifiers: [{ type: "FEDERAL_GOVERNMENT", code: 17934, additional: { invoice: "123456777" } }]
      },
      notificationUrl: "https://hotel.example/hooks/placetopay",
      locale: "en_US",
      paymentMethod: ["visa", "master", "amex", "diners", "pse"],
      recipients: [
        { email: "laura@example.com", phoneNumber: "+573001234567" },
        { email: "frontdesk@hotel.example", phoneNumber: "+573009999999", sendWhatsapp: true }
      ],
      additional: [
        { keyword: "payerName", value: "Laura Peláez", displayOn: "none" },
        { keyword: "room", value: "201", displayOn: "none" },
        { keyword: "channel", value: "web", displayOn: "none" },
        { keyword: "folio", value: { id: 7 }, displayOn: "both" }
      ],
      skipResult: true
    })
    expect(Schema.is(Wire.CreateLinkRequest)(request)).toBe(true)
  })

  it("maps each neutral payment method to PlacetoPay's codes", () => {
    const codes = (methods: ReadonlyArray<string>) => body({ paymentMethods: methods }).paymentMethod
    expect(codes(["visa"])).toEqual(["visa"])
    expect(codes(["mastercard"])).toEqual(["master"])
    expect(codes(["amex"])).toEqual(["amex"])
    expect(codes(["diners"])).toEqual(["diners"])
    expect(codes(["pse"])).toEqual(["pse"])
    expect(codes(["card"])).toEqual(["visa", "master", "amex", "diners"])
  })

  it("computes expiry from expiresIn, and writes it in the site's zone (DST included)", () => {
    expect(body({ expiresIn: "2 hours" }).expirationDate).toBe("2026-01-27 12:15:00")
    const ny = { ...settings, timeZone: "America/New_York" }
    expect(body({ expiresAt: new Date("2026-07-01T12:00:00Z") }, ny).expirationDate).toBe("2026-07-01 08:00:00")
    expect(body({ expiresAt: new Date("2026-12-01T12:00:00Z") }, ny).expirationDate).toBe("2026-12-01 07:00:00")
    expect(body({}, { ...settings, defaultLinkLifetime: Duration.minutes(90) }).expirationDate).toBe(
      "2026-01-27 11:45:00"
    )
    expect(body({}, { ...settings, sessionMinutes: 45 }).paymentExpiration).toBe(45)
  })

  it("does not send the payer as a recipient without an email, but keeps the name", () => {
    const request = body({ payer: { name: "Laura" } })
    expect(request.recipients).toBeUndefined()
    expect(request.additional).toEqual([{ keyword: "payerName", value: "Laura", displayOn: "none" }])
  })

  it("does not duplicate the payer when the options already list their email", () => {
    const request = body({
      payer: { name: "Laura", email: "Laura@Example.com" },
      providerOptions: { placetopay: { recipients: [{ email: "laura@example.com", sendSMS: false }] } }
    })
    expect(request.recipients).toEqual([{ email: "laura@example.com", sendSMS: false }])
  })

  describe("refuses, with Unsupported naming the field, what PlacetoPay cannot honour", () => {
    const cases: ReadonlyArray<readonly [string, Record<string, unknown>]> = [
      ["returnUrls", { returnUrls: { success: "https://hotel.example/ok" } }],
      ["installments", { installments: 3 }],
      ["booking", { booking: { checkIn: "2026-02-01", checkOut: "2026-02-03" } }],
      ["payer.document", { payer: { name: "Laura", document: { type: "CC", number: "1020304050" } } }],
      ["payer.address", { payer: { name: "Laura", address: "Calle 1 # 2-3" } }],
      ["payer.country", { payer: { name: "Laura", country: "CO" } }],
      ["payer.ip", { payer: { name: "Laura", ip: "10.0.0.1" } }],
      ["payer.phone", { payer: { name: "Laura", phone: { callingCode: "+57", number: "3001234567" } } }],
      ["paymentMethods[1]", { paymentMethods: ["visa", "nequi"] }],
      ["paymentMethods[0]", { paymentMethods: ["daviplata"] }],
      ["paymentMethods[0]", { paymentMethods: ["sinpe_movil"] }],
      ["paymentMethods[0]", { paymentMethods: ["cash"] }],
      ["paymentMethods[0]", { paymentMethods: ["preloaded_balance"] }],
      ["paymentMethods[0]", { paymentMethods: ["gift_card"] }]
    ]
    for (const [field, fields] of cases) {
      it(field, () => {
        const error = refusal(fields)
        expect(error.provider).toBe("placetopay")
        expect(error.operation).toBe("links.create")
        expect(unsupportedDetail(error)).toContain(field)
        expect(error.isRetrySafe).toBe(false)
      })
    }

    it("names every such field at once", () => {
      const detail = unsupportedDetail(refusal({ returnUrls: {}, installments: 2, paymentMethods: ["nequi"] }))
      expect(detail).toContain("returnUrls")
      expect(detail).toContain("installments")
      expect(detail).toContain("paymentMethods[0]")
    })
  })

  describe("refuses, with InvalidRequest, values the wire cannot carry", () => {
    it("a fractional amount (PlacetoPay link totals are integers)", () => {
      expect(issuesOf(refusal({ amount: Money.make("120000.50", "COP") }))).toEqual([
        { path: "amount", message: expect.stringContaining("whole amount") }
      ])
      expect(issuesOf(refusal({ amount: Money.make("12.5", "USD") }))[0]!.path).toBe("amount")
    })

    it("a zero amount", () => {
      expect(issuesOf(refusal({ amount: Money.make("0", "COP") }))).toEqual([
        { path: "amount", message: "must be more than zero" }
      ])
    })

    it("an expiry that is not in the future", () => {
      expect(issuesOf(refusal({ expiresAt: new Date(NOW - 1000) }))).toEqual([
        { path: "expiresAt", message: "must be in the future" }
      ])
      // Within the same second as now: the wire form has whole seconds, so it is not in the future.
      expect(issuesOf(refusal({ expiresAt: new Date(NOW + 100) }))[0]!.path).toBe("expiresAt")
    })

    it("bad or unknown provider options", () => {
      expect(
        issuesOf(
          refusal({
            providerOptions: {
              placetopay: {
                sessionMinutes: 2.5,
                skipResult: "yes",
                modifiers: [{ type: "FEDERAL_GOVERNMENT", code: 1, additional: { invoice: "1234567890" } }],
                recipients: [{ email: "not-an-email", sendSMS: true }],
                retries: 3
              }
            }
          })
        ).map((i) => i.path)
      ).toEqual(
        expect.arrayContaining([
          "providerOptions.placetopay.sessionMinutes",
          "providerOptions.placetopay.skipResult",
          "providerOptions.placetopay.modifiers[0].code",
          "providerOptions.placetopay.modifiers[0].additional.invoice",
          "providerOptions.placetopay.recipients[0].email",
          "providerOptions.placetopay.retries"
        ])
      )
      expect(
        issuesOf(refusal({ providerOptions: { placetopay: { recipients: [{ email: "a@b.co", sendSMS: true }] } } }))
      ).toEqual([
        {
          path: "providerOptions.placetopay.recipients[0].phoneNumber",
          message: "is required when sendSMS or sendWhatsapp is true"
        }
      ])
      expect(issuesOf(refusal({ providerOptions: { placetopay: { sessionMinutes: 0 } } }))).toEqual([
        { path: "providerOptions.placetopay.sessionMinutes", message: "must be a whole number of minutes" }
      ])
      expect(
        issuesOf(
          refusal({
            providerOptions: { placetopay: { modifiers: [{ type: "X", code: 17934, additional: { invoice: "1" } }] } }
          })
        )
      ).toEqual([{ path: "providerOptions.placetopay.modifiers[0].type", message: "must be FEDERAL_GOVERNMENT" }])
    })

    it("an empty payment-method list", () => {
      expect(issuesOf(refusal({ paymentMethods: [] }))[0]!.path).toBe("paymentMethods")
    })

    it("the same additional keyword twice", () => {
      expect(
        issuesOf(
          refusal({
            metadata: { room: "201" },
            providerOptions: { placetopay: { additional: [{ keyword: "room", value: 1 }] } }
          })
        )[0]!.path
      ).toBe("providerOptions.placetopay.additional[0]")
      expect(issuesOf(refusal({ payer: { name: "Laura" }, metadata: { payerName: "x" } }))[0]!.path).toBe(
        "metadata.payerName"
      )
    })

    it("more than 20 recipients", () => {
      const recipients = Array.from({ length: 20 }, (_, i) => ({ email: `r${i}@hotel.example` }))
      expect(
        issuesOf(
          refusal({ payer: { name: "L", email: "l@example.com" }, providerOptions: { placetopay: { recipients } } })
        )[0]!.path
      ).toBe("providerOptions.placetopay.recipients")
    })

    it("a tax amount a JSON number cannot carry exactly", () => {
      expect(
        issuesOf(refusal({ taxes: [{ kind: "valueAddedTax", amount: Money.make("999999999999999.99", "COP") }] }))
      ).toEqual([{ path: "taxes[0].amount", message: "is too precise to send as a JSON number" }])
    })

    it("a notification URL PlacetoPay must not be given: plain http off loopback, or credentials in it", () => {
      expect(issuesOf(refusal({ notificationUrl: "http://hotel.example/hooks/placetopay" }))).toEqual([
        {
          path: "notificationUrl",
          message: "must use https (plain http only for loopback: 127.0.0.1, ::1, localhost)"
        }
      ])
      expect(issuesOf(refusal({ notificationUrl: "https://user:pass@hotel.example/hooks" }))).toEqual([
        { path: "notificationUrl", message: "must not carry credentials (user:password@)" }
      ])
      expect(body({ notificationUrl: "http://127.0.0.1:8787/hooks" }).notificationUrl).toBe(
        "http://127.0.0.1:8787/hooks"
      )
    })

    it("a merchant this site is not configured for", () => {
      expect(issuesOf(refusal({ merchantId: "hotel-b" }, { ...settings, merchantId: "hotel-a" }))[0]!.path).toBe(
        "merchantId"
      )
      expect(body({ merchantId: "hotel-a" }, { ...settings, merchantId: "hotel-a" }).reference).toBe("BK-1")
    })
  })
})

describe("Mapping.fromCreated", () => {
  it("is the new link: ACTIVE, the input's data, the site's expiry instant", () => {
    const i = input({ maxPayments: 2, merchantId: "hotel-a" })
    const request = Either.getOrThrow(Mapping.toCreateRequest(i, NOW, settings))
    const link = Mapping.fromCreated(
      { status: okStatus, id: 41, url: "https://x/link/show?genid=41&code=c" },
      request,
      i,
      settings
    )
    expect(link).toEqual({
      id: "41",
      provider: "placetopay",
      merchantId: "hotel-a",
      url: "https://x/link/show?genid=41&code=c",
      reference: "BK-1",
      description: base.description,
      amount: Money.make("120000", "COP"),
      status: "active",
      providerStatus: "ACTIVE",
      expiresAt: new Date("2026-01-28T15:15:00.000Z"),
      maxPayments: 2,
      payments: []
    })
  })
})

const okStatus = { status: "OK" as const, reason: 201, message: "ok", date: "2026-01-27T10:15:00-05:00" }

// The query answer from the seed's documentation, verbatim in its values.
const seedAnswer = {
  id: 21,
  status: "ACTIVE",
  url: "http://microsites.test/link/show?genid=21&code=ce350a956700cee9e29446a552201ddd55c6a477",
  expirationDate: "2024-08-12 08:10:50",
  name: "Prueba",
  reference: "#5321",
  description: "Pago por infraccion",
  totalPayments: 7,
  availablePayments: 6,
  paymentExpiration: 15,
  amount: {
    currency: "COP",
    total: 100000,
    taxes: [
      { base: 80000, kind: "valueAddedTax", amount: 20000 },
      { base: 50000, kind: "municipalTax", amount: 5000 }
    ]
  },
  site: { id: 1469, name: "Evertec - API Link de pagos" },
  notificationUrl: "https://webhook-test.com/dc45064451b3b0fdc61d8d5be632d450",
  locale: "es_CO",
  allowedPaymentMethods: ["pse", "visa"],
  metadata: { discount: [{ code: 17934, type: "FEDERAL_GOVERNMENT", additional: { invoice: "123456777" } }] },
  payments: [
    {
      id: 8,
      requestId: 84076,
      status: "APPROVED",
      message: "La petición ha sido aprobada exitosamente",
      processUrl: "https://checkout-co.placetopay.dev/spa/session/84076/79e4267e26771ed8ecffdab18d4c5f69",
      amount: { currency: "COP", total: "100000" },
      receipt: "99900100",
      franchise: "CR_VS",
      paymentMethod: "visa",
      paymentDate: "2024-07-26 08:21:40",
      internalReference: 434915,
      authorization: "000000",
      issuerName: "JPMORGAN CHASE BANK, N.A.",
      merchantCode: "012988341",
      terminalNumber: "00022645",
      installments: 1,
      lastDigits: "1111",
      payer: {
        name: "Andres",
        surname: "Zea",
        email: "a@example.com",
        phone: "+573111111111",
        document: "1001221123",
        documentType: "CC"
      }
    }
  ],
  isGeneric: false
}

const queried = (overrides: Record<string, unknown> = {}) =>
  Schema.decodeUnknownSync(Wire.QueriedLink)({ ...seedAnswer, ...overrides })
const neutral = (overrides: Record<string, unknown> = {}, s: Mapping.Settings = settings) =>
  Either.getOrThrowWith(Mapping.fromQueried(queried(overrides), s), (d) => new Error(d))

describe("Mapping.fromQueried", () => {
  it("maps the documented answer", () => {
    expect(neutral({}, { ...settings, merchantId: "hotel-a" })).toEqual({
      id: "21",
      provider: "placetopay",
      merchantId: "hotel-a",
      url: seedAnswer.url,
      reference: "#5321",
      description: "Pago por infraccion",
      amount: Money.make("100000", "COP"),
      status: "active",
      providerStatus: "ACTIVE",
      expiresAt: new Date("2024-08-12T13:10:50.000Z"),
      maxPayments: 7,
      payments: [
        {
          id: "8",
          status: "approved",
          providerStatus: "APPROVED",
          amount: Money.make("100000", "COP"),
          paidAt: new Date("2024-07-26T13:21:40.000Z"),
          method: "visa",
          authorization: "000000",
          receipt: "99900100",
          lastDigits: "1111"
        }
      ]
    })
  })

  it("accepts totals as numbers or strings and dates in both forms, and nulls the API leaves", () => {
    const link = neutral({
      amount: { currency: "USD", total: "12.50" },
      expirationDate: "2024-08-12T08:10:50-05:00",
      totalPayments: null,
      availablePayments: null,
      isGeneric: true,
      payments: [
        {
          id: 9,
          requestId: null,
          status: "REJECTED",
          message: "Rechazada",
          amount: { currency: "USD", total: 12.5 },
          receipt: null,
          paymentMethod: "master",
          paymentDate: "2024-07-26T08:21:40-05:00",
          authorization: null,
          lastDigits: "0013"
        }
      ]
    })
    expect(link.amount).toEqual(Money.make("12.50", "USD"))
    expect(link.expiresAt).toEqual(new Date("2024-08-12T13:10:50.000Z"))
    expect(link.maxPayments).toBeUndefined()
    expect(link.payments).toEqual([
      {
        id: "9",
        status: "declined",
        providerStatus: "REJECTED",
        amount: Money.make("12.5", "USD"),
        paidAt: new Date("2024-07-26T13:21:40.000Z"),
        method: "master",
        lastDigits: "0013"
      }
    ])
  })

  it("treats a missing payments list as none", () => {
    const { payments: _, ...withoutPayments } = seedAnswer
    const link = Schema.decodeUnknownSync(Wire.QueriedLink)(withoutPayments)
    expect(Either.getOrThrow(Mapping.fromQueried(link, settings)).payments).toEqual([])
  })

  it("reports values it cannot read as a violation, never a guess", () => {
    const left = (overrides: Record<string, unknown>) =>
      Either.flip(Mapping.fromQueried(queried(overrides), settings)).pipe(Either.getOrThrow)
    expect(left({ amount: { currency: "XYZ", total: 1 } })).toContain("amount")
    expect(left({ expirationDate: "12/08/2024" })).toContain("expirationDate")
    expect(left({ payments: [{ ...seedAnswer.payments[0], paymentDate: "ayer" }] })).toContain(
      "payments[0].paymentDate"
    )
  })

  describe("link status (with the §3.4 decision for used-up links)", () => {
    const approved = { ...seedAnswer.payments[0] }
    const rejected = { ...seedAnswer.payments[0], id: 10, status: "REJECTED" }
    const cases: ReadonlyArray<readonly [string, Record<string, unknown>, PaymentLink.LinkStatus]> = [
      ["ACTIVE, single use, unpaid", { totalPayments: 1, availablePayments: 1, payments: [] }, "active"],
      ["ACTIVE, single use, rejected only", { totalPayments: 1, availablePayments: 1, payments: [rejected] }, "active"],
      ["ACTIVE, single use, approved", { totalPayments: 1, availablePayments: 0, payments: [approved] }, "paid"],
      [
        "ACTIVE, paymentsAllowed absent and not generic, approved",
        { totalPayments: null, availablePayments: null, isGeneric: false, payments: [approved] },
        "paid"
      ],
      [
        "ACTIVE, generic unlimited, approved",
        { totalPayments: null, availablePayments: null, isGeneric: true, payments: [approved] },
        "active"
      ],
      ["ACTIVE, 7 allowed, 1 approved", { payments: [approved] }, "active"],
      ["ACTIVE, every allowed payment made", { totalPayments: 2, availablePayments: 0, isGeneric: true }, "paid"],
      ["INACTIVE", { status: "INACTIVE" }, "disabled"],
      ["EXPIRED", { status: "EXPIRED" }, "expired"],
      ["anything else", { status: "SUSPENDED" }, "unknown"],
      // §3.4: `paid` wins once approved payments used the link up, whatever its status becomes.
      [
        "EXPIRED, single use, approved",
        { status: "EXPIRED", totalPayments: 1, availablePayments: 0, payments: [approved] },
        "paid"
      ],
      [
        "INACTIVE (disabled after paying), single use, approved",
        { status: "INACTIVE", totalPayments: 1, availablePayments: 0, payments: [approved] },
        "paid"
      ],
      [
        "EXPIRED, paymentsAllowed absent and not generic, approved",
        { status: "EXPIRED", totalPayments: null, availablePayments: null, isGeneric: false, payments: [approved] },
        "paid"
      ],
      [
        "EXPIRED, 2 allowed, both approved",
        { status: "EXPIRED", totalPayments: 2, availablePayments: 0, isGeneric: true, payments: [approved, approved] },
        "paid"
      ],
      [
        "anything else, single use, approved",
        { status: "SUSPENDED", totalPayments: 1, availablePayments: 0, payments: [approved] },
        "paid"
      ],
      ["EXPIRED, 7 allowed, 1 approved", { status: "EXPIRED", payments: [approved] }, "expired"],
      [
        "EXPIRED, single use, rejected only",
        { status: "EXPIRED", totalPayments: 1, availablePayments: 1, payments: [rejected] },
        "expired"
      ],
      [
        "INACTIVE, generic unlimited, approved",
        { status: "INACTIVE", totalPayments: null, availablePayments: null, isGeneric: true, payments: [approved] },
        "disabled"
      ],
      [
        "EXPIRED, 2 allowed, none approved, none available",
        { status: "EXPIRED", totalPayments: 2, availablePayments: 0, isGeneric: true, payments: [rejected] },
        "expired"
      ]
    ]
    for (const [name, overrides, status] of cases) {
      it(`${name} → ${status}`, () => {
        const link = neutral(overrides)
        expect(link.status).toBe(status)
        expect(link.providerStatus).toBe((overrides.status as string | undefined) ?? "ACTIVE")
      })
    }
  })

  it("maps every §6 payment status explicitly", () => {
    const table: Record<string, PaymentLink.PaymentStatus> = {
      APPROVED: "approved",
      PENDING: "pending",
      PENDING_VALIDATION: "pending",
      PENDING_CONFIRMATION: "pending",
      REJECTED: "declined",
      APPROVED_PARTIAL: "pending",
      PARTIAL_EXPIRED: "declined",
      REFUNDED: "refunded",
      FAILED: "failed",
      ERROR: "failed",
      UNKNOWN: "unknown",
      CHARGEBACK: "unknown",
      approved: "unknown"
    }
    for (const [raw, status] of Object.entries(table)) {
      expect(Mapping.paymentStatus(raw), raw).toBe(status)
      const link = neutral({ payments: [{ ...seedAnswer.payments[0], status: raw }] })
      expect(link.payments[0]).toMatchObject({ status, providerStatus: raw })
    }
  })
})

describe("Wire schemas", () => {
  it("accept the 201 in both documented forms", () => {
    const decode = Schema.decodeUnknownSync(Wire.CreatedLink)
    expect(decode({ status: okStatus, id: 3, url: "https://x/link/show?genid=3&code=c" })).toMatchObject({
      id: 3,
      url: "https://x/link/show?genid=3&code=c"
    })
    expect(
      decode({
        status: {
          status: "OK",
          reason: "PC",
          message: "La petición se ha procesado correctamente",
          date: "2021-11-30T15:08:27-05:00"
        },
        requestId: 1,
        processUrl: "https://checkout-co.placetopay.com/session/1/cc9b"
      })
    ).toMatchObject({ id: 1, url: "https://checkout-co.placetopay.com/session/1/cc9b" })
  })

  it("refuse what the contract does not allow", () => {
    const created = Schema.decodeUnknownEither(Wire.CreatedLink)
    expect(Either.isLeft(created({ status: okStatus }))).toBe(true)
    expect(Either.isLeft(created({ status: okStatus, id: "3", url: "u" }))).toBe(true)
    expect(Either.isLeft(created({ status: { ...okStatus, status: "FAILED" }, id: 3, url: "u" }))).toBe(true)
    const link = Schema.decodeUnknownEither(Wire.QueriedLink)
    expect(Either.isLeft(link({ ...seedAnswer, amount: { currency: "COP", total: "100.000,00" } }))).toBe(true)
    expect(Either.isLeft(link({ ...seedAnswer, amount: { currency: "COP", total: -1 } }))).toBe(true)
    expect(Either.isLeft(link({ ...seedAnswer, status: 1 }))).toBe(true)
    const { reference: _, ...noReference } = seedAnswer
    expect(Either.isLeft(link(noReference))).toBe(true)
    const disabled = Schema.decodeUnknownEither(Wire.DisabledLink)
    expect(Either.isRight(disabled({ status: { ...okStatus, reason: 200 }, id: 14 }))).toBe(true)
    expect(Either.isRight(disabled({ status: { ...okStatus, reason: 200 }, id: "14" }))).toBe(true)
    expect(Either.isLeft(disabled({ status: { ...okStatus, reason: 200 } }))).toBe(true)
  })

  it("decode the documented answers", () => {
    const decodes = <A, I>(schema: Schema.Schema<A, I>, answer: unknown) =>
      expect(Either.isRight(Schema.decodeUnknownEither(schema)(answer))).toBe(true)
    decodes(Wire.CreatedLink, { status: okStatus, id: 3, url: "https://x/link/show?genid=3&code=c" })
    decodes(Wire.QueriedLink, seedAnswer)
    decodes(Wire.DisabledLink, { status: { ...okStatus, reason: 200 }, id: 14 })
    decodes(Wire.Notification, {
      status: { ...okStatus, status: "PAID" },
      linkId: 3,
      reference: "R-1",
      signature: "a".repeat(64)
    })
  })
})

describe("Mapping.validationIssues (422 → neutral field names)", () => {
  it("names the neutral field where one maps", () => {
    expect(
      Mapping.validationIssues({
        expirationDate: ["The expirationDate field must be a date after now."],
        "payment.amount.total": ["The payment.amount.total field must be an integer."],
        "payment.amount.taxes.0.kind": ["The selected payment.amount.taxes.0.kind is invalid."],
        paymentMethod: ["The selected paymentMethod is invalid."],
        "recipients.1.email": ["The recipients.1.email field must be a valid email address."],
        name: ["The name field is required."]
      }).map((i) => ({ path: i.path, message: i.message }))
    ).toEqual([
      { path: "expiresAt", message: "The expirationDate field must be a date after now." },
      { path: "amount", message: "The payment.amount.total field must be an integer." },
      { path: "taxes[0].kind", message: "The selected payment.amount.taxes.0.kind is invalid." },
      { path: "paymentMethods", message: "The selected paymentMethod is invalid." },
      { path: "recipients[1].email", message: "The recipients.1.email field must be a valid email address." },
      { path: "title", message: "The name field is required." }
    ])
  })
})

describe("Mapping.parseLinkId", () => {
  it("accepts PlacetoPay ids and refuses anything else before it reaches a URL", () => {
    expect(Mapping.parseLinkId("21", "links.get")).toEqual(Either.right(21))
    for (const bad of ["0", "-1", "1.5", "../disable/1", "abc", "", " 1", "1234567890123456"]) {
      const error = Either.getOrThrowWith(Either.flip(Mapping.parseLinkId(bad, "links.get")), () => new Error(bad))
      expect(issuesOf(error)[0]!.path).toBe("id")
    }
  })
})

describe("Mapping.toEvent", () => {
  const paid = {
    status: {
      status: "PAID" as "PAID" | "EXPIRED",
      reason: 200,
      message: "El link de pago ha sido pagado",
      date: "2024-06-25T00:43:21-05:00"
    },
    linkId: 2,
    reference: "BK-1",
    signature: "6b02c3385968052869630e7999499f2c4f82d260e7d2843237c02b3d1d8ef03c"
  }
  const at = new Date("2024-06-25T05:43:21Z")

  it("PAID → payment.approved, EXPIRED → link.expired, others → unknown", () => {
    expect(Mapping.toEvent(paid, at, paid, "hotel-a")).toEqual({
      provider: "placetopay",
      merchantId: "hotel-a",
      type: "payment.approved",
      subject: { kind: "link", id: "2" },
      reference: "BK-1",
      providerStatus: "PAID",
      occurredAt: at,
      dedupeKey: "placetopay:hotel-a:link:2:PAID",
      verified: true,
      authenticated: ["subject.kind", "subject.id", "type", "occurredAt"],
      raw: paid
    })
    const expired = { ...paid, status: { ...paid.status, status: "EXPIRED" as const } }
    expect(Mapping.toEvent(expired, at, expired, undefined)).toMatchObject({
      type: "link.expired",
      dedupeKey: "placetopay:-:link:2:EXPIRED"
    })
    expect(Mapping.linkEventType("REFUNDED")).toBe("unknown")
  })

  it("gives every delivery of one fact the same key, and different facts different keys", () => {
    const key = (n: typeof paid) => Mapping.toEvent(n, at, n, undefined).dedupeKey
    expect(key({ ...paid })).toBe(key(paid))
    // A link is paid once: the date does not make another fact (and a reconciler cannot know it).
    expect(key({ ...paid, status: { ...paid.status, date: "2024-06-25T00:43:22-05:00" } })).toBe(key(paid))
    expect(key({ ...paid, status: { ...paid.status, status: "EXPIRED" } })).not.toBe(key(paid))
    expect(key({ ...paid, linkId: 3 })).not.toBe(key(paid))
    // The same link id at two merchants (sites number links on their own) is two facts.
    expect(Mapping.toEvent(paid, at, paid, "hotel-a").dedupeKey).not.toBe(
      Mapping.toEvent(paid, at, paid, "hotel-b").dedupeKey
    )
  })

  it("maps checkout statuses explicitly", () => {
    const table: Record<string, string> = {
      APPROVED: "payment.approved",
      PENDING: "payment.pending",
      PENDING_VALIDATION: "payment.pending",
      PENDING_CONFIRMATION: "payment.pending",
      APPROVED_PARTIAL: "payment.pending",
      REJECTED: "payment.declined",
      PARTIAL_EXPIRED: "payment.declined",
      FAILED: "payment.declined",
      ERROR: "payment.declined",
      REFUNDED: "refund.completed",
      UNKNOWN: "unknown",
      SOMETHING_NEW: "unknown"
    }
    for (const [status, type] of Object.entries(table)) {
      const n = {
        status: { status, reason: "00", message: "m", date: "2016-10-10T16:39:57-05:00" },
        requestId: 83,
        reference: "R",
        signature: "s"
      }
      const event = Mapping.toEvent(n, at, n, undefined)
      expect(event.type, status).toBe(type)
      expect(event.subject).toEqual({ kind: "session", id: "83" })
      expect(event.dedupeKey).toBe(`placetopay:-:session:83:${status}:2016-10-10T16:39:57-05:00`)
      expect(event.detail).toBe(type === "payment.declined" ? "m" : undefined)
    }
  })
})

describe("Mapping.linkEvents", () => {
  const link = (status: PaymentLink.LinkStatus, payments: PaymentLink.PaymentLink["payments"] = []) => ({
    id: "2",
    provider: "placetopay",
    url: "https://sites.example/link/show?genid=2",
    reference: "BK-1",
    amount: Money.make("120000", "COP"),
    status,
    providerStatus: status === "expired" ? "EXPIRED" : "ACTIVE",
    expiresAt: new Date("2024-06-26T05:00:00Z"),
    payments
  })
  const now = new Date("2024-07-01T00:00:00Z")

  it("gives a paid link's approval and an expired link's expiry the keys their notifications carry", () => {
    const paidAt = new Date("2024-06-25T05:43:21Z")
    const paid = link("paid", [{ id: "p1", status: "approved", providerStatus: "APPROVED", paidAt }])
    const [approval] = Mapping.linkEvents(paid, "hotel-a", now)
    expect(approval).toMatchObject({
      type: "payment.approved",
      subject: { kind: "link", id: "2" },
      reference: "BK-1",
      providerStatus: "PAID",
      occurredAt: paidAt,
      dedupeKey: "placetopay:hotel-a:link:2:PAID",
      verified: true
    })
    expect(approval!.dedupeKey).toBe(Mapping.linkEventKey("hotel-a", 2, "PAID"))
    const [expiry] = Mapping.linkEvents(link("expired"), "hotel-a", now)
    expect(expiry).toMatchObject({ type: "link.expired", dedupeKey: "placetopay:hotel-a:link:2:EXPIRED" })
  })

  it("gives nothing for a link still active or disabled", () => {
    expect(Mapping.linkEvents(link("active"), "hotel-a", now)).toEqual([])
    expect(Mapping.linkEvents(link("disabled"), "hotel-a", now)).toEqual([])
  })
})
