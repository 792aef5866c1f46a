/**
 * The undici client over real loopback HTTP: what it sends, what it reads, and how each failure
 * comes back (the adapters tell "never sent" from "may have been sent" by these errors).
 */
import { connect } from "node:net"
import * as HttpBody from "@effect/platform/HttpBody"
import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import { describe, expect, it } from "@effect/vitest"
import { ProviderHttp } from "@pasarela/core"
import { closedPort, scriptedServer as server } from "@pasarela/testing/node"
import * as Cause from "effect/Cause"
import * as Chunk from "effect/Chunk"
import * as Deferred from "effect/Deferred"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Fiber from "effect/Fiber"
import * as Layer from "effect/Layer"
import * as Stream from "effect/Stream"
import { Agent } from "undici"
import { UndiciHttpClient } from "../src/index.js"

/** A time limit as the adapters put one on each attempt. */
const within =
  (millis: number) =>
  <A, E, R>(effect: Effect.Effect<A, E, R>) =>
    Effect.timeoutFail(effect, { duration: millis, onTimeout: () => "late" as const })

const client = UndiciHttpClient.layer

describe("UndiciHttpClient", () => {
  it.scoped("sends method, path, query, headers and a JSON body; reads status, headers and the whole body", () =>
    Effect.gen(function* () {
      const s = yield* server((_, res) => {
        res.writeHead(201, { "content-type": "application/json", "x-answer": "yes", "set-cookie": "a=1" })
        res.end(JSON.stringify({ id: 7, note: "día" }))
      })
      const http = yield* HttpClient.HttpClient
      const response = yield* http.execute(
        HttpClientRequest.post(`${s.baseUrl}/api/payment-link`, {
          urlParams: { page: "2" },
          headers: { accept: "application/json", access_key: "K" },
          body: HttpBody.text(JSON.stringify({ amount: 120000 }), "application/json")
        })
      )
      expect(response.status).toBe(201)
      expect(response.headers["x-answer"]).toBe("yes")
      expect(response.cookies.cookies.a?.value).toBe("1")
      expect(yield* response.json).toEqual({ id: 7, note: "día" })
      expect(yield* response.text).toBe('{"id":7,"note":"día"}')
      expect(new TextDecoder().decode(yield* response.arrayBuffer)).toBe('{"id":7,"note":"día"}')
      expect(Chunk.size(yield* Stream.runCollect(response.stream))).toBe(1)
      expect(s.received).toHaveLength(1)
      expect(s.received[0]).toMatchObject({
        method: "POST",
        url: "/api/payment-link?page=2",
        body: '{"amount":120000}'
      })
      expect(s.received[0]!.headers).toMatchObject({ access_key: "K", "content-type": "application/json" })
    }).pipe(Effect.provide(client))
  )

  it.scoped("an empty answer reads as empty text and null JSON; a GET sends no body", () =>
    Effect.gen(function* () {
      const s = yield* server((_, res) => {
        res.writeHead(204)
        res.end()
      })
      const http = yield* HttpClient.HttpClient
      const response = yield* http.execute(HttpClientRequest.get(`${s.baseUrl}/v2/hotels`))
      expect(response.status).toBe(204)
      expect(yield* response.text).toBe("")
      expect(yield* response.json).toBeNull()
      expect(s.received[0]).toMatchObject({ method: "GET", body: "" })
    }).pipe(Effect.provide(client))
  )

  it.scoped("an answer that is not JSON is a ResponseError (Decode) when read as JSON", () =>
    Effect.gen(function* () {
      const s = yield* server((_, res) => res.end("<html>"))
      const http = yield* HttpClient.HttpClient
      const response = yield* http.execute(HttpClientRequest.get(s.baseUrl))
      const error = yield* Effect.flip(response.json)
      expect(error).toMatchObject({ _tag: "ResponseError", reason: "Decode" })
    }).pipe(Effect.provide(client))
  )

  it.effect("nothing listening: a RequestError (Transport) whose code proves nothing was sent", () =>
    Effect.gen(function* () {
      const port = yield* closedPort
      const http = yield* HttpClient.HttpClient
      const error = yield* Effect.flip(http.execute(HttpClientRequest.get(`http://127.0.0.1:${port}/`)))
      expect(error).toMatchObject({ _tag: "RequestError", reason: "Transport" })
      const code = ProviderHttp.errorCode(error.cause)
      expect(code).toBe("ECONNREFUSED")
      expect(ProviderHttp.notSentCodes.has(code!)).toBe(true)
    }).pipe(Effect.provide(client))
  )

  it.scoped("a connection cut while the answer is read: a ResponseError, not a proof of not sending", () =>
    Effect.gen(function* () {
      const s = yield* server((_, res) => {
        res.writeHead(200, { "content-length": "100" })
        res.write('{"partial":')
        setTimeout(() => res.destroy(), 20)
      })
      const http = yield* HttpClient.HttpClient
      const error = yield* Effect.flip(http.execute(HttpClientRequest.post(`${s.baseUrl}/x`)))
      expect(error).toMatchObject({ _tag: "ResponseError", reason: "Decode" })
      expect(s.received).toHaveLength(1)
    }).pipe(Effect.provide(client))
  )

  it.scopedLive("interrupting a request aborts it: the server sees the connection close", () =>
    Effect.gen(function* () {
      const arrived = yield* Deferred.make<void>()
      const s = yield* server(() => Effect.runSync(Deferred.succeed(arrived, undefined)))
      const http = yield* HttpClient.HttpClient
      const fiber = yield* Effect.fork(http.execute(HttpClientRequest.post(`${s.baseUrl}/slow`)))
      yield* Deferred.await(arrived)
      expect(Exit.isInterrupted(yield* Fiber.interrupt(fiber))).toBe(true)
      // Bounded wait for the server to notice.
      for (let i = 0; i < 100 && s.unfinished.length === 0; i++) yield* Effect.sleep("10 millis")
      expect(s.unfinished).toEqual(["/slow"])
    }).pipe(Effect.provide(client))
  )

  it.scopedLive("a caller's time limit (Effect.timeout, as the adapters set one) aborts the request", () =>
    Effect.gen(function* () {
      const s = yield* server(() => {})
      const http = yield* HttpClient.HttpClient
      const error = yield* Effect.flip(http.execute(HttpClientRequest.post(`${s.baseUrl}/slow`)).pipe(within(50)))
      expect(error).toBe("late")
      for (let i = 0; i < 100 && s.unfinished.length === 0; i++) yield* Effect.sleep("10 millis")
      expect(s.unfinished).toEqual(["/slow"])
    }).pipe(Effect.provide(client))
  )

  it.scopedLive("a time limit counts the answer's body too", () =>
    Effect.gen(function* () {
      const s = yield* server((_, res) => {
        res.writeHead(200, { "content-length": "100" })
        res.write("{")
      })
      const http = yield* HttpClient.HttpClient
      const error = yield* Effect.flip(
        http.execute(HttpClientRequest.post(`${s.baseUrl}/half`)).pipe(
          Effect.flatMap((response) => response.text),
          within(50)
        )
      )
      expect(error).toBe("late")
    }).pipe(Effect.provide(client))
  )

  // A connection that never completes (a firewall dropping packets): undici only hears of the
  // abort once connected, so the client must not wait for that to honour a time limit.
  const neverConnects = () => new Agent({ connect: () => {} })

  it.live("a time limit also bounds a connection that never completes", () =>
    Effect.gen(function* () {
      const agent = neverConnects()
      const http = UndiciHttpClient.make(agent)
      const error = yield* Effect.flip(
        http.execute(HttpClientRequest.post("http://192.0.2.1/x")).pipe(within(50))
      ).pipe(Effect.timeoutFail({ duration: "5 seconds", onTimeout: () => new Error("the time limit did not fire") }))
      expect(error).toBe("late")
      yield* Effect.promise(() => agent.destroy())
    })
  )

  it.live("interrupting a request that is still connecting returns at once", () =>
    Effect.gen(function* () {
      const agent = neverConnects()
      const http = UndiciHttpClient.make(agent)
      const fiber = yield* Effect.fork(http.execute(HttpClientRequest.post("http://192.0.2.1/x")))
      yield* Effect.sleep("20 millis")
      const exit = yield* Fiber.interrupt(fiber).pipe(
        Effect.timeoutFail({
          duration: "5 seconds",
          onTimeout: () => new Error("interruption waited for the connection")
        })
      )
      expect(Exit.isInterrupted(exit)).toBe(true)
      yield* Effect.promise(() => agent.destroy())
    })
  )

  it.scoped("an answer arriving in several chunks is read whole", () =>
    Effect.gen(function* () {
      const s = yield* server((_, res) => {
        res.writeHead(200, { "content-type": "application/json" })
        res.write('{"parts":[')
        setTimeout(() => res.write('"one",'), 10)
        setTimeout(() => res.end('"two"]}'), 20)
      })
      const http = yield* HttpClient.HttpClient
      const response = yield* http.execute(HttpClientRequest.get(s.baseUrl))
      expect(yield* response.json).toEqual({ parts: ["one", "two"] })
    }).pipe(Effect.provide(client))
  )

  it.scopedLive("a request whose time limit passed while connecting is never sent once the connection opens", () =>
    Effect.gen(function* () {
      const s = yield* server((_, res) => res.end("{}"))
      const { port } = new URL(s.baseUrl)
      // Connects, but only after 150 ms.
      const agent = new Agent({
        connect: (_options, callback) => {
          setTimeout(() => {
            const socket = connect({ host: "127.0.0.1", port: Number(port) })
            socket.once("connect", () => callback(null, socket))
            socket.once("error", (error) => callback(error, null))
          }, 150)
        }
      })
      const http = UndiciHttpClient.make(agent)
      const error = yield* Effect.flip(http.execute(HttpClientRequest.post(`${s.baseUrl}/late`)).pipe(within(30)))
      expect(error).toBe("late")
      // Well past the connection opening: the server saw nothing.
      yield* Effect.sleep("400 millis")
      expect(s.received).toHaveLength(0)
      yield* Effect.promise(() => agent.destroy())
    })
  )

  it.scoped(
    "a streamed body, an invalid URL and a header value undici rejects are refused before anything is sent",
    () =>
      Effect.gen(function* () {
        const s = yield* server((_, res) => res.end("{}"))
        const http = yield* HttpClient.HttpClient
        const streamed = yield* Effect.flip(
          http.execute(
            HttpClientRequest.post(`${s.baseUrl}/x`, {
              body: HttpBody.stream(Stream.make(new Uint8Array([1, 2, 3])))
            })
          )
        )
        expect(streamed).toMatchObject({ _tag: "RequestError", reason: "Encode" })
        const invalid = yield* Effect.flip(http.execute(HttpClientRequest.get("not a url")))
        expect(invalid).toMatchObject({ _tag: "RequestError", reason: "InvalidUrl" })
        // A header value undici will not put on the wire (a key read from a file, newline and all).
        const badHeader = yield* Effect.flip(
          http.execute(HttpClientRequest.get(`${s.baseUrl}/x`).pipe(HttpClientRequest.setHeader("secret_key", "key\n")))
        )
        expect(ProviderHttp.transportFailure(badHeader)).toEqual({ _tag: "Refused", code: "UND_ERR_INVALID_ARG" })
        expect(s.received).toHaveLength(0)
      }).pipe(Effect.provide(client))
  )
})

describe("UndiciHttpClient.layerWith", () => {
  it.scoped("runs on the dispatcher given, and closes it with the layer", () =>
    Effect.gen(function* () {
      const s = yield* server((_, res) => res.end("ok"))
      const agent = new Agent({ connections: 1 })
      const answer = yield* Effect.scoped(
        Effect.flatMap(HttpClient.HttpClient, (http) => Effect.flatMap(http.get(s.baseUrl), (r) => r.text)).pipe(
          Effect.provide(UndiciHttpClient.layerWith(() => agent))
        )
      )
      expect(answer).toBe("ok")
      expect(agent.closed).toBe(true)
    })
  )

  it.effect("a runtime whose undici lacks the dispatch API (Bun's) is told so when the layer is built", () =>
    Effect.gen(function* () {
      const exit = yield* Effect.exit(
        Effect.scoped(Layer.build(UndiciHttpClient.layerWith(() => ({}) as unknown as Agent)))
      )
      expect(Exit.isFailure(exit) && Cause.pretty(exit.cause)).toContain(
        "UndiciHttpClient needs undici's dispatch API, which this runtime's undici lacks"
      )
    })
  )
})
