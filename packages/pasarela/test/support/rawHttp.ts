/**
 * A raw HTTP/1.1 client over a TCP socket: sends exactly the bytes it is given (broken
 * percent-encoding, lying lengths, a body in slow pieces), which `fetch` would refuse or tidy up,
 * and reads back the status line.
 */
import { connect } from "node:net"

export type Part = string | Uint8Array | { readonly pause: number }

export interface Answer {
  readonly status: number
  /** Status line and headers. */
  readonly head: string
}

/** Sends `parts` in order and resolves with the answer's status; rejects when none comes within `timeout`. */
export const send = (port: number, parts: ReadonlyArray<Part>, timeout = 10_000): Promise<Answer> =>
  new Promise((resolve, reject) => {
    const socket = connect(port, "127.0.0.1")
    let received = ""
    let done = false
    const finish = (result: Answer | Error) => {
      if (done) return
      done = true
      clearTimeout(timer)
      socket.destroy()
      if (result instanceof Error) reject(result)
      else resolve(result)
    }
    const timer = setTimeout(() => finish(new Error(`no answer within ${timeout} ms`)), timeout)
    socket.on("data", (chunk) => {
      received += chunk.toString("latin1")
      const end = received.indexOf("\r\n\r\n")
      if (end === -1) return
      const head = received.slice(0, end)
      const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(head)?.[1])
      finish(Number.isNaN(status) ? new Error(`not an HTTP answer: ${head.slice(0, 200)}`) : { status, head })
    })
    // The server may close while parts are still being written: the answer read so far decides.
    socket.on("error", (error) => finish(error))
    socket.on("close", () => finish(new Error(`closed without an answer (received: ${received.slice(0, 200)})`)))
    socket.on("connect", async () => {
      for (const part of parts) {
        if (done) return
        if (typeof part === "object" && "pause" in part) await new Promise((r) => setTimeout(r, part.pause))
        else if (!socket.write(part)) await new Promise((r) => socket.once("drain", r))
      }
    })
  })

/** A request head: the request line as given, then the headers, then the blank line. */
export const head = (method: string, path: string, headers: Readonly<Record<string, string>> = {}): string =>
  `${method} ${path} HTTP/1.1\r\n${Object.entries({ host: "127.0.0.1", ...headers })
    .map(([name, value]) => `${name}: ${value}\r\n`)
    .join("")}\r\n`

/** A whole POST with a content-length that tells the truth. */
export const post = (path: string, body: string | Uint8Array, headers: Readonly<Record<string, string>> = {}) => {
  const bytes = typeof body === "string" ? new TextEncoder().encode(body) : body
  return [
    head("POST", path, { "content-type": "application/json", "content-length": String(bytes.length), ...headers }),
    bytes
  ]
}

/** A POST whose body arrives in chunked encoding, one chunk per part. */
export const chunked = (path: string, chunks: ReadonlyArray<Part>): ReadonlyArray<Part> => [
  head("POST", path, { "content-type": "application/json", "transfer-encoding": "chunked" }),
  ...chunks.map((chunk) => {
    if (typeof chunk === "object" && "pause" in chunk) return chunk
    const bytes = typeof chunk === "string" ? new TextEncoder().encode(chunk) : chunk
    const framed = new Uint8Array(bytes.length + 32)
    const size = new TextEncoder().encode(`${bytes.length.toString(16)}\r\n`)
    framed.set(size, 0)
    framed.set(bytes, size.length)
    framed.set(new TextEncoder().encode("\r\n"), size.length + bytes.length)
    return framed.subarray(0, size.length + bytes.length + 2)
  }),
  "0\r\n\r\n"
]
