/**
 * The webhook endpoint faces the internet: everything a caller can send gets a 4xx, the
 * application's handler never runs for it, nothing throws, and a big body costs bounded memory.
 * Both forms, over real loopback HTTP, with raw bytes (paths and lengths `fetch` would refuse).
 */
import { afterAll, beforeAll, describe, expect, it } from "@effect/vitest"
import * as fc from "effect/FastCheck"
import { type Endpoint, forms } from "./support/endpoints.js"
import { config, env, memoryNotification } from "./support/notifications.js"
import { chunked, head, type Part, post, send } from "./support/rawHttp.js"

const options = { bodyTimeout: "600 millis", handlerTimeout: "2 seconds" } as const
const genuine = () => memoryNotification()
const route = "/webhooks/hotel-bogota/memory"

/** Unhandled rejections anywhere in the process while the suite runs (none allowed). */
const unhandled: Array<unknown> = []
const onUnhandled = (reason: unknown) => unhandled.push(reason)

describe.each(forms)("%s", (_name, start) => {
  let endpoint: Endpoint
  beforeAll(async () => {
    process.on("unhandledRejection", onUnhandled)
    endpoint = await start({ config, env, options })
  })
  afterAll(async () => {
    await endpoint.close()
    process.off("unhandledRejection", onUnhandled)
    expect(unhandled).toEqual([])
    expect(endpoint.errors).toEqual([])
  })

  /** Sends `parts` (to `at`, by default the suite's endpoint): a 4xx (`status` when given), and the handler never ran. */
  const refused = async (parts: ReadonlyArray<Part>, status?: number, at: Endpoint = endpoint) => {
    const before = at.events.length
    const answer = await send(at.port, parts)
    expect(answer.status, answer.head).toBeGreaterThanOrEqual(400)
    expect(answer.status, answer.head).toBeLessThan(500)
    if (status !== undefined) expect(answer.status, answer.head).toBe(status)
    expect(at.events.length).toBe(before)
    return answer
  }

  it("handles a genuine notification (the baseline every refusal below differs from)", async () => {
    const answer = await send(endpoint.port, post(route, genuine()))
    expect(answer.status).toBe(200)
    expect(endpoint.events.at(-1)?.merchantId).toBe("hotel-bogota")
  })

  it("answers 404 to paths it cannot decode or does not serve, even with a genuine body", async () => {
    const body = genuine()
    for (const path of [
      "/webhooks/%/memory",
      "/webhooks/%E0%A4%A/placetopay",
      "/webhooks/hotel-bogota/%",
      "/webhooks/%ZZ/memory",
      "/webhooks/%C0%AF/memory",
      "/webhooks/hotel-bogota%2Fmemory",
      "/webhooks/hotel%2Fbogota/memory",
      "/webhooks/hotel-bogota/memory/..",
      "/webhooks/hotel-bogota/../memory",
      "/webhooks/%2e%2e/hotel-bogota/memory",
      "/webhooks/hotel-bogota/memory/extra",
      "/webhooks/hotel-bogota",
      "/webhooks/",
      "/webhooks//memory",
      "/webhooks/hotel-bogota//memory",
      `/webhooks/${"h".repeat(4000)}/memory`,
      "/webhooks/hotel-nowhere/memory",
      "/webhooks/hotel-bogota/stripe",
      // A merchant's path with another configured provider.
      "/webhooks/hotel-bogota/placetopay",
      "/webhooks/hotel-quito/memory",
      "/elsewhere/hotel-bogota/memory"
    ]) {
      const answer = await refused(post(path, body))
      expect(answer.status, path).toBe(404)
    }
  })

  it("refuses a URL too long to read (the server's own limit), with a 4xx", async () => {
    await refused(post(`/webhooks/${"h".repeat(100_000)}/memory`, genuine()))
  })

  it("answers 405 to every method but POST", async () => {
    for (const method of ["GET", "PUT", "DELETE", "PATCH", "OPTIONS"]) {
      const answer = await refused([head(method, route, { "content-length": "0" })], 405)
      expect(answer.head.toLowerCase()).toContain("allow: post")
    }
    await refused([head("HEAD", route)], 405)
    // With a genuine body too.
    const body = genuine()
    await refused([head("PUT", route, { "content-length": String(body.length) }), body], 405)
  })

  it("refuses bodies that are not notifications", async () => {
    const nested = `${"[".repeat(30_000)}${"]".repeat(30_000)}`
    const bodies: ReadonlyArray<string | Uint8Array> = [
      "",
      "not json",
      "null",
      "[]",
      '"text"',
      "{}",
      nested,
      '{"__proto__":{"admin":true},"constructor":{"prototype":{"x":1}}}',
      // A genuine notification with a prototype-polluting key added: no longer what was signed.
      genuine().replace(/}$/, ',"__proto__":{"verified":true}}'),
      new Uint8Array([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d]),
      new Uint8Array([0xc3, 0x28])
    ]
    for (const body of bodies) await refused(post(route, body))
    // Invalid UTF-8 is said to be so.
    await refused(post(route, new Uint8Array([0x7b, 0xff, 0x7d])), 400)
  })

  it("refuses a genuine notification posted with odd content types only as it would any body: by its proof", async () => {
    for (const type of ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "*/*"]) {
      await refused(post(route, "status=PAID&signature=x", { "content-type": type }))
    }
    await refused([head("POST", route, { "content-length": "4" }), "null"])
  })

  it("answers 413 to a body over the limit, told or not, without reading it all", async () => {
    const big = JSON.stringify({ padding: "x".repeat(70_000) })
    await refused(post(route, big), 413)
    await refused(chunked(route, [big.slice(0, 40_000), big.slice(40_000)]), 413)
    // 100,000-deep nesting is over the limit too.
    await refused(post(route, `${"[".repeat(100_000)}${"]".repeat(100_000)}`), 413)
    // Told, before any of it is sent.
    await refused([head("POST", route, { "content-length": String(50 * 1024 * 1024) })], 413)
    await refused([head("POST", route, { "content-length": "99999999999999999999" })])
  })

  it("handles lying content-lengths: a short one reads a broken body, a long one times out", async () => {
    const body = genuine()
    await refused([head("POST", route, { "content-length": "10" }), body])
    await refused([head("POST", route, { "content-length": String(body.length + 50) }), body], 408)
  })

  it("answers 408 to a body that trickles in slower than the body timeout", async () => {
    const body = genuine()
    const pieces: Array<Part> = []
    for (let i = 0; i < body.length; i += 40) pieces.push(body.slice(i, i + 40), { pause: 150 })
    await refused(chunked(route, pieces), 408)
  })

  it("reads a 256 MiB stream with bounded memory and answers 413", async () => {
    const mib = new Uint8Array(1024 * 1024).fill(0x20)
    const frame = new TextEncoder().encode(`${mib.length.toString(16)}\r\n`)
    const framed = new Uint8Array(frame.length + mib.length + 2)
    framed.set(frame, 0)
    framed.set(mib, frame.length)
    framed.set([0x0d, 0x0a], frame.length + mib.length)
    const parts: Array<Part> = [head("POST", route, { "transfer-encoding": "chunked" })]
    for (let i = 0; i < 256; i++) parts.push(framed)
    parts.push("0\r\n\r\n")
    // An endpoint of its own, with time to read it all however busy the host: what is measured
    // here is memory, not speed.
    const patient = await start({ config, env, options: { ...options, bodyTimeout: "60 seconds" } })
    const before = process.memoryUsage().rss
    let peak = before
    const sampler = setInterval(() => {
      peak = Math.max(peak, process.memoryUsage().rss)
    }, 5)
    try {
      await refused(parts, 413, patient)
    } finally {
      clearInterval(sampler)
      await patient.close()
    }
    // Kept whole, the body alone would be 256 MiB (twice that as text).
    expect(peak - before).toBeLessThan(96 * 1024 * 1024)
  }, 60_000)

  it("property: random paths and bodies get a 4xx and never reach the handler", async () => {
    const pathChar = fc.constantFrom(
      ..."abcz09-._~%/?#=&+:@!$'()*,;[]{}|^`\"<>\\ \t".split(""),
      "%2F",
      "%00",
      "%E0%A4%A",
      ".."
    )
    const path = fc
      .array(pathChar, { maxLength: 40 })
      .map((chars) => chars.join(""))
      .map((rest) => (rest.startsWith("/") ? rest : `/${rest}`))
    const prefixed = fc.oneof(
      path,
      path.map((p) => `/webhooks${p}`),
      path.map((p) => `/webhooks/hotel-bogota${p}`)
    )
    const body = fc.oneof(
      fc.string({ maxLength: 200 }),
      fc.uint8Array({ maxLength: 200 }),
      fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v) ?? ""),
      fc.constant(genuine()).map((g) => g.replace(/"signature":"[0-9a-f]/, '"signature":"z'))
    )
    await fc.assert(
      fc.asyncProperty(prefixed, body, async (p, b) => {
        // A request line with a space or control character in it is the server's to refuse: 4xx too.
        await refused(post(p, b))
      }),
      { numRuns: 120 }
    )
  }, 60_000)
})
