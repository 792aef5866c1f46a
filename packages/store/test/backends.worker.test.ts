import { describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import { EmbeddedStore, PgliteClient, PostgresStore, unavailableMessage } from "../src/backends.worker.js"
import { StoreError } from "../src/index.js"

// What `@pasarela/store/backends` is on workers: every backend fails to start, saying why.
describe("backends on worker runtimes", () => {
  it.effect("the embedded and PostgreSQL stores fail with a StoreError that says what to do", () =>
    Effect.gen(function* () {
      for (const layer of [EmbeddedStore.layer({}), PostgresStore.layer({ url: undefined as never })]) {
        const error = yield* Effect.flip(Effect.scoped(Layer.build(layer)))
        expect(error).toBeInstanceOf(StoreError)
        expect(error.message).toContain("need Node, Bun or Deno; on workers pass a store of your own")
      }
    })
  )

  it.effect("the PGlite client fails with a SqlError saying the same", () =>
    Effect.gen(function* () {
      const error = yield* Effect.flip(Effect.scoped(Layer.build(PgliteClient.layer())))
      expect(error.message).toBe(unavailableMessage)
    })
  )
})
