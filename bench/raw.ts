/**
 * Hand-written clients with no Pasarela and no Effect: `undici` requests whose bodies and auth are
 * built with node:crypto, sending what the adapters send for the same input (checked against the
 * adapters' wire output). The baseline `adapter-overhead.ts` compares the adapters with. Each
 * reads and parses the answer and checks it succeeded, as any real client would.
 */
import { createCipheriv, createHash, randomBytes } from "node:crypto"
import type { Dispatcher } from "undici"

/** The sandbox's published fake credentials (`PlacetoPaySandbox.defaultSites[0]`, `AutocoreSandbox.defaultAccounts[0]`). */
export const credentials = {
  placetopay: { login: "sandbox-login-site-1001", secretKey: "sandbox-secret-1001-NOT-A-REAL-KEY" },
  autocore: {
    accessKey: "TESTACCESSKEY001",
    secretKey: "TESTSECRETKEY0123456789abcdefXYZ",
    cardEncryptionKey: "TESTSECRETKEY0123456789abcdefXYZ",
    hotelId: 5
  }
} as const

/** The neutral input both sides create, by index (references must differ). */
export const linkInput = (prefix: string, i: number) => ({
  reference: `${prefix}-${i}`,
  description: "2 nights, double room",
  payer: { name: "Laura", surname: "Pelaez", email: "laura@example.com" }
})

const BOGOTA_OFFSET_MS = -5 * 60 * 60 * 1000
const pad = (n: number) => String(n).padStart(2, "0")

/** `2026-11-21T21:25:13-05:00` (the seed) and `2026-11-21 21:25:13` (a local expiration date), Bogota time. */
const bogota = (epochMs: number) => {
  const d = new Date(epochMs + BOGOTA_OFFSET_MS)
  const date = `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`
  const time = `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`
  return { iso: `${date}T${time}-05:00`, local: `${date} ${time}` }
}

const DAY_MS = 24 * 60 * 60 * 1000

/** PlacetoPay's `auth` object: tranKey = Base64(SHA-256(rawNonce ‖ seed ‖ secretKey)). */
export const placetopayAuth = (login: string, secretKey: string, nowMs: number) => {
  const nonce = randomBytes(16)
  const seed = bogota(nowMs).iso
  const tranKey = createHash("sha256").update(nonce).update(seed, "utf8").update(secretKey, "utf8").digest("base64")
  return { login, tranKey, nonce: nonce.toString("base64"), seed }
}

/** The body the PlacetoPay adapter sends for `linkInput` (120,000 COP, 24 hours, single use). */
export const placetopayCreateBody = (reference: string, nowMs: number): string => {
  const { payer, description } = linkInput("", 0)
  return JSON.stringify({
    auth: placetopayAuth(credentials.placetopay.login, credentials.placetopay.secretKey, nowMs),
    name: description,
    reference,
    description,
    expirationDate: bogota(nowMs + DAY_MS).local,
    paymentExpiration: 15,
    paymentsAllowed: 1,
    isGeneric: false,
    payment: { amount: { currency: "COP", total: 120000 } },
    recipients: [{ email: payer.email }],
    additional: [{ keyword: "payerName", value: `${payer.name} ${payer.surname}`, displayOn: "none" }]
  })
}

/** Autocore's `auth_token`: Base64(`access_key;ts;hex(SHA-256(secret_key + ts))`). */
export const autocoreAuthToken = (accessKey: string, secretKey: string, unixSeconds: number): string => {
  const ts = String(Math.trunc(unixSeconds))
  const uniq = createHash("sha256")
    .update(secretKey + ts, "utf8")
    .digest("hex")
  return Buffer.from(`${accessKey};${ts};${uniq}`, "utf8").toString("base64")
}

/** Autocore's card-field cipher with node:crypto: Base64(IV ‖ AES-256-CBC(PKCS#7)), key = SHA-256(key text). */
export const autocoreCardCipher = (keyText: string) => {
  const key = createHash("sha256").update(keyText, "utf8").digest()
  return (plaintext: string): string => {
    const iv = randomBytes(16)
    const cipher = createCipheriv("aes-256-cbc", key, iv)
    return Buffer.concat([iv, cipher.update(plaintext, "utf8"), cipher.final()]).toString("base64")
  }
}

/** One request, built: what goes on the wire, and how to tell its answer succeeded. */
export interface RawRequest {
  readonly path: string
  readonly headers: Record<string, string>
  readonly body: string
  readonly expectedStatus: number
  /** Throws unless the parsed answer is a success. */
  readonly check: (answer: unknown) => void
}

/** Builds request `i` (fresh auth each time). */
export type RawBuilder = (i: number) => RawRequest

export interface RawClient {
  /** Creates one link (or charge) with index `i`; rejects unless it succeeded. */
  readonly create: (i: number) => Promise<void>
}

const json = { "content-type": "application/json", accept: "application/json" } as const

/** Sends built requests with `dispatcher` (an undici `Agent`), reading and checking every answer. */
export const client = (dispatcher: Dispatcher, origin: string, build: RawBuilder): RawClient => ({
  create: async (i) => {
    const request = build(i)
    const response = await dispatcher.request({
      origin,
      path: request.path,
      method: "POST",
      headers: request.headers,
      body: request.body
    })
    const text = await response.body.text()
    if (response.statusCode !== request.expectedStatus) {
      throw new Error(`${request.path} answered ${response.statusCode}: ${text.slice(0, 200)}`)
    }
    request.check(JSON.parse(text))
  }
})

/** `POST /api/payment-link`: expects 201 with a numeric `id`. */
export const placetopayLinks =
  (prefix: string): RawBuilder =>
  (i) => ({
    path: "/api/payment-link",
    headers: json,
    body: placetopayCreateBody(`${prefix}-${i}`, Date.now()),
    expectedStatus: 201,
    check: (answer) => {
      if (typeof (answer as { id?: unknown }).id !== "number") throw new Error("no link id in the answer")
    }
  })

/** `POST /v2/links/schedule/` with the API-key headers: expects 200 with a `code`. */
export const autocoreLinks = (prefix: string): RawBuilder => {
  const { accessKey, hotelId, secretKey } = credentials.autocore
  const headers = { ...json, access_key: accessKey, secret_key: secretKey }
  const { description, payer } = linkInput("", 0)
  return (i) => ({
    path: "/v2/links/schedule/",
    headers,
    body: JSON.stringify({
      hotel_id: hotelId,
      guest_name: `${payer.name} ${payer.surname}`,
      email: payer.email,
      description,
      external_ref_id: `${prefix}-${i}`,
      amount: 120000,
      currency: "COP"
    }),
    expectedStatus: 200,
    check: (answer) => {
      if (typeof (answer as { code?: unknown }).code !== "string") throw new Error("no link code in the answer")
    }
  })
}

/** The approved test card, as the charge input carries it. */
export const testCard = { number: "4111111111111111", cvv: "123", month: "12", year: "2099", holder: "LAURA PELAEZ" }

/** `POST /v2/virtual-terminal/credit-card` with a fresh `auth_token` and encrypted card: expects 200, `applied`. */
export const autocoreCharges = (prefix: string): RawBuilder => {
  const { accessKey, cardEncryptionKey, hotelId, secretKey } = credentials.autocore
  const encrypt = autocoreCardCipher(cardEncryptionKey)
  const { description, payer } = linkInput("", 0)
  return (i) => {
    const reference = `${prefix}-${i}`
    return {
      path: "/v2/virtual-terminal/credit-card",
      headers: { ...json, auth_token: autocoreAuthToken(accessKey, secretKey, Math.floor(Date.now() / 1000)) },
      body: JSON.stringify({
        order: {
          ref_name: payer.name,
          ref_lastname: payer.surname,
          ref_number: reference,
          external_ref_id: reference,
          detail: description,
          amount: 120000,
          installments: 1,
          hotel_id: hotelId,
          email: payer.email
        },
        card_item: {
          cc_number: encrypt(testCard.number),
          cc_code: encrypt(testCard.cvv),
          cc_expire_month: encrypt(testCard.month),
          cc_expire_year: encrypt(testCard.year),
          cc_holder: encrypt(testCard.holder)
        }
      }),
      expectedStatus: 200,
      check: (answer) => {
        const status = (answer as { details?: { status_code?: unknown } }).details?.status_code
        if (status !== "applied") throw new Error(`charge not applied (${String(status)})`)
      }
    }
  }
}
