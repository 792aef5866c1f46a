import { afterAll, describe, it } from "@effect/vitest"
import { dropTables, postgres } from "@pasarela/store/testing"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Redacted from "effect/Redacted"
import { PostgresStore } from "../src/backends.js"
import { suite } from "./conformance.js"

const server = await postgres()

if (server.available) {
  const prefix = `pt_${process.pid}_${Date.now().toString(36)}_`
  afterAll(() => dropTables(server.url, prefix))
  suite("PostgreSQL", PostgresStore.layer({ url: Redacted.make(server.url), tablePrefix: prefix }))

  const fresh = `${prefix}m_`
  afterAll(() => dropTables(server.url, fresh))
  it.live("migrates from several processes starting at once", () =>
    Effect.all(
      Array.from({ length: 6 }, () =>
        Layer.build(PostgresStore.layer({ url: Redacted.make(server.url), tablePrefix: fresh })).pipe(Effect.scoped)
      ),
      { concurrency: "unbounded" }
    )
  )
} else {
  describe("Store conformance: PostgreSQL", () => {
    it.skip(`skipped: ${server.reason}`, () => {})
  })
}
