/**
 * The Node HTTP server every simulator's `serve` listens with. When its scope closes it drops every
 * connection at once: a browser keeps idle and speculatively opened sockets to the pages it
 * visited, and a plain `close` would wait for them — up to a minute for a socket that never sent a
 * request — before the sandbox (or `pnpm demo --wait`) could stop.
 */
import { createServer } from "node:http"
import * as NodeHttpServer from "@effect/platform-node/NodeHttpServer"
import * as Effect from "effect/Effect"

/**
 * Listens on `host` (default 127.0.0.1) and `port` (default 0: any free port); `baseUrl` is the URL
 * to hand a client.
 */
export const listen = (options: { readonly port?: number | undefined; readonly host?: string | undefined }) =>
  Effect.gen(function* () {
    const host = options.host ?? "127.0.0.1"
    const node = createServer()
    const server = yield* NodeHttpServer.make(() => node, { port: options.port ?? 0, host })
    // Added after the server's own release, so it runs first: `close` then finds nothing to wait for.
    yield* Effect.addFinalizer(() => Effect.sync(() => node.closeAllConnections()))
    // Listening on a host and port, the address is always TCP.
    const port = server.address._tag === "TcpAddress" ? server.address.port : 0
    return { server, baseUrl: baseUrl(host, port) }
  })

/** A wildcard bind is reachable on loopback. */
const baseUrl = (host: string, port: number): string => {
  const reachable = host === "0.0.0.0" || host === "::" || host === "" ? "127.0.0.1" : host
  return `http://${reachable.includes(":") ? `[${reachable}]` : reachable}:${port}`
}
