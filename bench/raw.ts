/**
 * Hand-written clients with no Pasarela and no Effect: bodies and auth built with crypto-js (the
 * library the adapters use), nonces and IVs from `crypto.getRandomValues`, sent with `fetch` or
 * with an undici `Agent`, sending what the adapters send for the same input. The baseline
 * `adapter-overhead.ts` compares the adapters with. Each reads and parses the answer and checks it
 * succeeded, as any real client would.
 */
import CryptoJS from "crypto-js"
import { Agent } from "undici"

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

/** The approved test card, as the charge input carries it. */
export const testCard = { number: "4111111111111111", cvv: "123", month: "12", year: "2099", holder: "LAURA PELAEZ" }

const BOGOTA_OFFSET_MS = -5 * 60 * 60 * 1000
const DAY_MS = 24 * 60 * 60 * 1000
const pad = (n: number) => String(n).padStart(2, "0")

/** `2026-11-21T21:25:13-05:00` (the seed) and `2026-11-21 21:25:13` (a local expiration date), Bogota time. */
const bogota = (epochMs: number) => {
  const d = new Date(epochMs + BOGOTA_OFFSET_MS)
  const date = `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`
  const time = `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`
  return { iso: `${date}T${time}-05:00`, local: `${date} ${time}` }
}

/** `n` random bytes as a crypto-js word array. */
const randomWords = (n: number) =>
  CryptoJS.lib.WordArray.create(globalThis.crypto.getRandomValues(new Uint8Array(n)) as unknown as Array<number>)

/** PlacetoPay's `auth` object: tranKey = Base64(SHA-256(rawNonce ‖ seed ‖ secretKey)). */
const placetopayAuth = (login: string, secretKey: string, nowMs: number) => {
  const nonce = randomWords(16)
  const seed = bogota(nowMs).iso
  const tranKey = CryptoJS.SHA256(nonce.clone().concat(CryptoJS.enc.Utf8.parse(seed + secretKey)))
  return { login, tranKey: tranKey.toString(CryptoJS.enc.Base64), nonce: nonce.toString(CryptoJS.enc.Base64), seed }
}

/** Autocore's `auth_token`: Base64(`access_key;ts;hex(SHA-256(secret_key + ts))`). */
const autocoreAuthToken = (accessKey: string, secretKey: string, unixSeconds: number): string => {
  const ts = String(Math.trunc(unixSeconds))
  const uniq = CryptoJS.SHA256(secretKey + ts).toString(CryptoJS.enc.Hex)
  return CryptoJS.enc.Utf8.parse(`${accessKey};${ts};${uniq}`).toString(CryptoJS.enc.Base64)
}

/** Autocore's card-field cipher: Base64(IV ‖ AES-256-CBC(PKCS#7)), key = SHA-256(key text). */
const autocoreCardCipher = (keyText: string) => {
  const key = CryptoJS.SHA256(keyText)
  return (plaintext: string): string => {
    const iv = randomWords(16)
    const { ciphertext } = CryptoJS.AES.encrypt(plaintext, key, {
      iv,
      mode: CryptoJS.mode.CBC,
      padding: CryptoJS.pad.Pkcs7
    })
    return iv.concat(ciphertext).toString(CryptoJS.enc.Base64)
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

/** How a hand-written client sends a POST and reads the whole answer. */
export interface Transport {
  readonly post: (
    url: string,
    headers: Record<string, string>,
    body: string
  ) => Promise<{ status: number; text: string }>
  readonly close: () => Promise<void>
}

/** The platform's `fetch` (Node's global dispatcher: keep-alive connections). */
export const fetchTransport = (): Transport => ({
  post: async (url, headers, body) => {
    const response = await fetch(url, { method: "POST", headers, body })
    return { status: response.status, text: await response.text() }
  },
  close: async () => {}
})

/** An undici `Agent` of its own (keep-alive connections), as `UndiciHttpClient.layer` has. */
export const undiciTransport = (): Transport => {
  const agent = new Agent()
  return {
    post: async (url, headers, body) => {
      const { origin, pathname } = new URL(url)
      const response = await agent.request({ origin, path: pathname, method: "POST", headers, body })
      return { status: response.statusCode, text: await response.body.text() }
    },
    close: () => agent.close()
  }
}

/** Creates one link (or charge) with index `i`; rejects unless it succeeded. */
export type Create = (i: number) => Promise<void>

/** Sends built requests to `origin` over `transport`, reading and checking every answer. */
export const client =
  (transport: Transport, origin: string, build: RawBuilder): Create =>
  async (i) => {
    const request = build(i)
    const { status, text } = await transport.post(`${origin}${request.path}`, request.headers, request.body)
    if (status !== request.expectedStatus) throw new Error(`${request.path} answered ${status}: ${text.slice(0, 200)}`)
    request.check(JSON.parse(text))
  }

const json = { "content-type": "application/json", accept: "application/json" } as const

/** `POST /api/payment-link` (120,000 COP, 24 hours, single use): expects 201 with a numeric `id`. */
export const placetopayLinks =
  (prefix: string): RawBuilder =>
  (i) => {
    const { description, payer, reference } = linkInput(prefix, i)
    const now = Date.now()
    return {
      path: "/api/payment-link",
      headers: json,
      body: JSON.stringify({
        auth: placetopayAuth(credentials.placetopay.login, credentials.placetopay.secretKey, now),
        name: description,
        reference,
        description,
        expirationDate: bogota(now + DAY_MS).local,
        paymentExpiration: 15,
        paymentsAllowed: 1,
        isGeneric: false,
        payment: { amount: { currency: "COP", total: 120000 } },
        recipients: [{ email: payer.email }],
        additional: [{ keyword: "payerName", value: `${payer.name} ${payer.surname}`, displayOn: "none" }]
      }),
      expectedStatus: 201,
      check: (answer) => {
        if (typeof (answer as { id?: unknown }).id !== "number") throw new Error("no link id in the answer")
      }
    }
  }

/** `POST /v2/links/schedule/` with the API-key headers: expects 200 with a `code`. */
export const autocoreLinks = (prefix: string): RawBuilder => {
  const { accessKey, hotelId, secretKey } = credentials.autocore
  const headers = { ...json, access_key: accessKey, secret_key: secretKey }
  return (i) => {
    const { description, payer, reference } = linkInput(prefix, i)
    return {
      path: "/v2/links/schedule/",
      headers,
      body: JSON.stringify({
        hotel_id: hotelId,
        guest_name: `${payer.name} ${payer.surname}`,
        email: payer.email,
        description,
        external_ref_id: reference,
        amount: 120000,
        currency: "COP"
      }),
      expectedStatus: 200,
      check: (answer) => {
        if (typeof (answer as { code?: unknown }).code !== "string") throw new Error("no link code in the answer")
      }
    }
  }
}

/** `POST /v2/virtual-terminal/credit-card` with a fresh `auth_token` and encrypted card: expects 200, `applied`. */
export const autocoreCharges = (prefix: string): RawBuilder => {
  const { accessKey, cardEncryptionKey, hotelId, secretKey } = credentials.autocore
  const encrypt = autocoreCardCipher(cardEncryptionKey)
  return (i) => {
    const { description, payer, reference } = linkInput(prefix, i)
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
