/**
 * A Web-standard handler (`(Request) => Promise<Response>`, such as `pasarela.webhooks.handle`) as
 * a Node `http` request listener:
 *
 * ```ts
 * createServer(NodeListener.fromWebHandler(pasarela.webhooks.handle)).listen(8787)
 * ```
 *
 * The body is streamed to the handler, never collected here, so the handler's own limits hold. A
 * request that cannot be expressed as a Web `Request` (a malformed URL or header) gets 400; a
 * handler that throws gets 500 and is reported to `onError`. The returned listener never throws
 * and never leaves a promise rejected, so nothing a caller sends can take the server down.
 */
import type { IncomingMessage, ServerResponse } from "node:http"

export interface Options {
  /** Told about a handler that threw or a response that could not be written. Default `console.error`. */
  readonly onError?: (error: unknown) => void
}

/**
 * The request's body as a Web stream that pauses the socket while the handler does not read.
 * Cancelling it does not destroy the request (that would reset the connection before the answer
 * is sent); the rest is drained instead, as Node does for a body nobody read.
 */
const bodyOf = (req: IncomingMessage): ReadableStream<Uint8Array> => {
  // Node may still emit after an error; a settled stream takes nothing more.
  let settled = false
  return new ReadableStream<Uint8Array>({
    start(controller) {
      const fail = (error: unknown) => {
        if (settled) return
        settled = true
        controller.error(error)
      }
      req.on("data", (chunk: Buffer) => {
        if (settled) return
        controller.enqueue(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength))
        if ((controller.desiredSize ?? 0) <= 0) req.pause()
      })
      req.once("end", () => {
        if (settled) return
        settled = true
        controller.close()
      })
      req.once("error", fail)
      req.once("aborted", () => fail(new Error("the request was aborted")))
      req.pause()
    },
    pull() {
      req.resume()
    },
    cancel() {
      settled = true
      drain(req)
    }
  })
}

/** Reads and drops whatever of the body is left. */
const drain = (req: IncomingMessage) => {
  if (req.readableEnded || req.destroyed) return
  req.removeAllListeners("data")
  req.resume()
}

const toRequest = (req: IncomingMessage): Request | undefined => {
  try {
    const headers = new Headers()
    for (let i = 0; i + 1 < req.rawHeaders.length; i += 2) headers.append(req.rawHeaders[i]!, req.rawHeaders[i + 1]!)
    const method = req.method ?? "GET"
    const hasBody = method !== "GET" && method !== "HEAD"
    // The path is appended, not resolved: `//host/x` must stay a path on this server.
    const init: RequestInit & { duplex?: "half" } = {
      method,
      headers,
      ...(hasBody ? { body: bodyOf(req), duplex: "half" } : {})
    }
    return new Request(`http://localhost${req.url ?? "/"}`, init)
  } catch {
    return undefined
  }
}

const write = async (res: ServerResponse, response: Response) => {
  const headers: Array<string> = []
  response.headers.forEach((value, name) => {
    headers.push(name, value)
  })
  res.writeHead(response.status, headers)
  if (response.body !== null) {
    const reader = response.body.getReader()
    for (let part = await reader.read(); !part.done; part = await reader.read()) res.write(part.value)
  }
  res.end()
}

export const fromWebHandler =
  (handle: (request: Request) => Promise<Response>, options: Options = {}) =>
  (req: IncomingMessage, res: ServerResponse): void => {
    const onError = options.onError ?? ((error: unknown) => console.error("request failed", error))
    const respond = async () => {
      const request = toRequest(req)
      const response =
        request === undefined
          ? new Response("bad request", { status: 400, headers: { "content-type": "text/plain; charset=utf-8" } })
          : await handle(request)
      await write(res, response)
      // What the handler left unread is drained, so the connection can carry the next request.
      drain(req)
    }
    respond().catch((error: unknown) => {
      onError(error)
      if (!res.headersSent) res.writeHead(500, { "content-type": "text/plain; charset=utf-8" })
      res.end()
      drain(req)
    })
  }
