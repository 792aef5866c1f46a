import { connect, type Socket } from "node:net"
import { describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Scope from "effect/Scope"
import { AutocoreSandbox, PlacetoPaySandbox, Sandbox } from "../src/index.js"

/** A socket that connects and sends nothing, as a browser's speculative preconnect does. */
const idleSocket = (baseUrl: string) =>
  Effect.async<Socket>((resume) => {
    const { hostname, port } = new URL(baseUrl)
    const socket = connect(Number(port), hostname, () => resume(Effect.succeed(socket)))
  })

const closed = (socket: Socket) =>
  Effect.async<void>((resume) => {
    if (socket.destroyed) return resume(Effect.void)
    socket.once("close", () => resume(Effect.void))
  })

describe("stopping a sandbox", () => {
  const servers = [
    ["Sandbox.serve", Effect.map(Sandbox.serve(), (s) => s.baseUrl)],
    [
      "PlacetoPaySandbox.serve",
      Effect.map(PlacetoPaySandbox.serve({ sites: PlacetoPaySandbox.defaultSites }), (s) => s.baseUrl)
    ],
    [
      "AutocoreSandbox.serve",
      Effect.map(AutocoreSandbox.serve({ accounts: AutocoreSandbox.defaultAccounts }), (s) => s.baseUrl)
    ]
  ] as const

  for (const [name, serve] of servers) {
    // A plain close would wait for the socket to time out (a minute), well past this test's limit.
    it.live(`${name} drops connections a browser holds open, so it stops at once`, () =>
      Effect.gen(function* () {
        const scope = yield* Scope.make()
        const baseUrl = yield* Scope.extend(serve, scope)
        const socket = yield* idleSocket(baseUrl)
        // Open until the server drops it: nothing on this side closes it.
        expect(socket.destroyed).toBe(false)
        yield* Scope.close(scope, Exit.void)
        yield* closed(socket)
        expect(socket.destroyed).toBe(true)
      })
    )
  }
})
