/**
 * A gateway on loopback that answers exactly what a test scripts: for testing an HTTP client or an
 * adapter against answers no simulator gives (a hang-up, silence, a body of the wrong shape).
 */
import { createServer, type IncomingHttpHeaders, type ServerResponse } from "node:http"
import * as Effect from "effect/Effect"
import type * as Scope from "effect/Scope"

/** One request, read in full. */
export interface Received {
  readonly method: string
  /** Path and query, as sent. */
  readonly url: string
  readonly headers: IncomingHttpHeaders
  readonly body: string
}

/** How the server answers a request: write to `response`, or destroy its socket, or do nothing. */
export type Answer = (request: Received, response: ServerResponse) => void

export interface ScriptedServer {
  /** `http://127.0.0.1:<port>` */
  readonly baseUrl: string
  /** Every request read, in order. */
  readonly received: ReadonlyArray<Received>
  /** The URLs of requests whose answer was cut short: the client went away first. */
  readonly unfinished: ReadonlyArray<string>
}

/**
 * Serves until the scope closes: the n-th request gets the n-th answer, and the last answer repeats.
 */
export const scriptedServer = (
  first: Answer,
  ...rest: ReadonlyArray<Answer>
): Effect.Effect<ScriptedServer, never, Scope.Scope> => {
  const answers = [first, ...rest]
  const received: Array<Received> = []
  const unfinished: Array<string> = []
  const server = createServer((req, res) => {
    const chunks: Array<Buffer> = []
    req.on("data", (chunk: Buffer) => chunks.push(chunk))
    req.on("end", () => {
      const request: Received = {
        method: req.method ?? "",
        url: req.url ?? "",
        headers: req.headers,
        body: Buffer.concat(chunks).toString("utf8")
      }
      received.push(request)
      res.on("close", () => {
        if (!res.writableFinished) unfinished.push(request.url)
      })
      answers[Math.min(received.length, answers.length) - 1]!(request, res)
    })
  })
  return Effect.acquireRelease(
    Effect.async<ScriptedServer>((resume) => {
      server.listen(0, "127.0.0.1", () => {
        const address = server.address()
        const port = typeof address === "object" && address !== null ? address.port : 0
        resume(Effect.succeed({ baseUrl: `http://127.0.0.1:${port}`, received, unfinished }))
      })
    }),
    () =>
      Effect.async<void>((resume) => {
        server.closeAllConnections()
        server.close(() => resume(Effect.void))
      })
  )
}

/** An answer with a JSON body (a string is sent as it is, for bodies that are not JSON). */
export const jsonAnswer =
  (status: number, body: unknown, headers: Readonly<Record<string, string>> = {}): Answer =>
  (_request, response) => {
    response.writeHead(status, { "content-type": "application/json", ...headers })
    response.end(typeof body === "string" ? body : JSON.stringify(body))
  }

/** Reads the request, then drops the connection without answering. */
export const hangUp: Answer = (_request, response) => response.socket?.destroy()

/** Reads the request and never answers. */
export const silence: Answer = () => {}
