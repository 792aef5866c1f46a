/**
 * Helpers for the PlacetoPay sandbox tests. The client side of auth is computed here with
 * node:crypto on purpose, independently of the sandbox's own code.
 */

import { createHash, randomBytes } from "node:crypto"
import { createServer, type IncomingMessage } from "node:http"
import type { AddressInfo } from "node:net"
import * as Effect from "effect/Effect"
import { PlacetoPaySandbox } from "../src/index.js"

export const site1 = PlacetoPaySandbox.defaultSites[0]!
export const site2 = PlacetoPaySandbox.defaultSites[1]!

const pad = (n: number) => String(n).padStart(2, "0")

/** ISO 8601 with a fixed offset, the way a client writes its seed. */
export const isoAt = (ms: number, offsetMinutes = -300): string => {
  const d = new Date(ms + offsetMinutes * 60_000)
  const sign = offsetMinutes < 0 ? "-" : "+"
  const abs = Math.abs(offsetMinutes)
  return (
    `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}T` +
    `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}` +
    `${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`
  )
}

/** `YYYY-MM-DD HH:mm:ss` at Bogota time, `ms` from now. */
export const localIn = (msFromNow: number): string =>
  isoAt(Date.now() + msFromNow)
    .slice(0, 19)
    .replace("T", " ")

export interface AuthOptions {
  readonly seed?: string
  readonly rawNonce?: Uint8Array
  readonly secretKey?: string
  readonly algorithm?: "sha256" | "sha1"
}

export const authFor = (site: { login: string; secretKey: string }, options: AuthOptions = {}) => {
  const rawNonce = options.rawNonce ?? randomBytes(16)
  const seed = options.seed ?? isoAt(Date.now())
  const tranKey = createHash(options.algorithm ?? "sha256")
    .update(rawNonce)
    .update(seed)
    .update(options.secretKey ?? site.secretKey)
    .digest("base64")
  return { login: site.login, tranKey, nonce: Buffer.from(rawNonce).toString("base64"), seed }
}

export interface Reply {
  readonly status: number
  // biome-ignore lint/suspicious/noExplicitAny: test assertions walk arbitrary JSON
  readonly body: any
}

export const request = (
  baseUrl: string,
  path: string,
  init: { readonly method?: string; readonly body?: string; readonly contentType?: string } = {}
): Effect.Effect<Reply> =>
  Effect.promise(async () => {
    const response = await fetch(`${baseUrl}${path}`, {
      method: init.method ?? "POST",
      headers: { "content-type": init.contentType ?? "application/json" },
      ...(init.body === undefined ? {} : { body: init.body })
    })
    const text = await response.text()
    return { status: response.status, body: text === "" ? null : JSON.parse(text) }
  })

export const post = (baseUrl: string, path: string, body: unknown): Effect.Effect<Reply> =>
  request(baseUrl, path, { body: JSON.stringify(body) })

export const get = (baseUrl: string, path: string): Effect.Effect<Reply> => request(baseUrl, path, { method: "GET" })

export const linkRequest = (overrides: Record<string, unknown> = {}) => ({
  name: "Reserva BK-1",
  reference: `BK-${randomBytes(4).toString("hex")}`,
  description: "2 noches, habitación doble",
  expirationDate: localIn(24 * 3600_000),
  paymentExpiration: 15,
  payment: { amount: { currency: "COP", total: 120000 } },
  ...overrides
})

export const createLink = (
  baseUrl: string,
  site: { login: string; secretKey: string },
  overrides: Record<string, unknown> = {}
) =>
  Effect.map(post(baseUrl, "/api/payment-link", { auth: authFor(site), ...linkRequest(overrides) }), (reply) => {
    if (reply.status !== 201) throw new Error(`create failed: ${reply.status} ${JSON.stringify(reply.body)}`)
    return reply.body as { id: number; url: string }
  })

export const queryLink = (baseUrl: string, site: { login: string; secretKey: string }, id: number) =>
  post(baseUrl, `/api/payment-link/${id}`, { auth: authFor(site) })

export interface Received {
  readonly headers: IncomingMessage["headers"]
  // biome-ignore lint/suspicious/noExplicitAny: notification bodies are checked field by field
  readonly body: any
}

/** A tiny merchant endpoint on loopback that records what it receives and answers `status`. */
/** A loopback receiver answering every notification with `status` and `answer` as its body. */
export const receiver = (status = 200, answer = "") =>
  Effect.acquireRelease(
    Effect.promise(
      () =>
        new Promise<{ url: string; received: Array<Received>; close: () => Promise<void> }>((resolve) => {
          const received: Array<Received> = []
          const server = createServer((req, res) => {
            const chunks: Array<Buffer> = []
            req.on("data", (c: Buffer) => chunks.push(c))
            req.on("end", () => {
              received.push({ headers: req.headers, body: JSON.parse(Buffer.concat(chunks).toString("utf8")) })
              res.writeHead(status, { "content-type": "text/plain; charset=utf-8" }).end(answer)
            })
          })
          server.listen(0, "127.0.0.1", () => {
            const { port } = server.address() as AddressInfo
            resolve({
              url: `http://127.0.0.1:${port}/webhooks/placetopay`,
              received,
              close: () => new Promise<void>((done) => server.close(() => done()))
            })
          })
        })
    ),
    (r) => Effect.promise(r.close)
  )

/** Recomputes the §4.1 signature the way a merchant would. */
export const expectedSignature = (linkId: number, status: string, date: string, secretKey: string) =>
  createHash("sha256").update(`${linkId}${status}${date}${secretKey}`).digest("hex")

/** POSTs `chunks × chunkSize` bytes of spaces with chunked transfer encoding (no content-length). */
export const postChunked = (baseUrl: string, path: string, chunks: number, chunkSize = 64 * 1024) =>
  Effect.promise(async () => {
    const chunk = new Uint8Array(chunkSize).fill(32)
    let sent = 0
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent++ < chunks) controller.enqueue(chunk)
        else controller.close()
      }
    })
    const init: RequestInit & { duplex: "half" } = {
      method: "POST",
      headers: { "content-type": "application/json" },
      body,
      duplex: "half"
    }
    const response = await fetch(`${baseUrl}${path}`, init)
    return { status: response.status, body: JSON.parse(await response.text()) } as Reply
  })
