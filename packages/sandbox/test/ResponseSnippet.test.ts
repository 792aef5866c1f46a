import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import * as HttpClientResponse from "@effect/platform/HttpClientResponse"
import { describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import { bodySnippet, SNIPPET_BYTES } from "../src/ResponseSnippet.js"

const answer = (body: BodyInit | null) =>
  HttpClientResponse.fromWeb(HttpClientRequest.post("http://receiver.invalid/hook"), new Response(body))

/** A body that never ends: reading it whole would never finish. */
const endless = () =>
  new ReadableStream<Uint8Array>({
    pull(controller) {
      controller.enqueue(new Uint8Array(4096).fill(0x61))
    }
  })

describe("ResponseSnippet", () => {
  it.effect("keeps a short answer whole", () =>
    Effect.gen(function* () {
      expect(yield* bodySnippet(answer("ok: booking paid"))).toBe("ok: booking paid")
      expect(yield* bodySnippet(answer(null))).toBe("")
    })
  )

  it.effect("keeps the first bytes of a long answer and reads no further", () =>
    Effect.gen(function* () {
      const snippet = yield* bodySnippet(answer(endless()))
      expect(snippet).toBe(`${"a".repeat(SNIPPET_BYTES)}…`)
    })
  )

  it.effect("drops a character cut in two at the limit", () =>
    Effect.gen(function* () {
      // "€" is three bytes: 341 of them end one byte past the limit's last whole character.
      const snippet = yield* bodySnippet(answer("€".repeat(400)))
      expect(snippet).toBe(`${"€".repeat(Math.floor(SNIPPET_BYTES / 3))}…`)
    })
  )
})
