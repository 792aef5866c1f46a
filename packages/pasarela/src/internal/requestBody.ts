/**
 * Reading a request body that anyone on the internet can send: at most `maxBytes` kept, within
 * `timeout`, UTF-8 or nothing. Portable: any runtime's body as an Effect `Stream`.
 *
 * Past the limit the rest is read and dropped rather than the stream being cancelled: on Node,
 * cancelling a request's body destroys its socket, and the sender would see a reset instead of the
 * 413. For the same reason a body that is too slow is left reading in the background (the answer
 * closes the connection, which ends it) rather than interrupted. Memory stays bounded either way.
 */
import * as Cause from "effect/Cause"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Fiber from "effect/Fiber"
import * as Stream from "effect/Stream"

/** Why a body was refused, as the HTTP status that says so. */
export type Refusal =
  | { readonly status: 413; readonly message: string }
  | { readonly status: 408; readonly message: string }
  | { readonly status: 400; readonly message: string }

export interface Limits {
  readonly maxBytes: number
  readonly timeout: Duration.Duration
}

/** The `content-length` header as a size to refuse before reading, when it is already too large or unreadable. */
export const declaredSize = (contentLength: string | null | undefined, limits: Limits): Refusal | undefined => {
  if (contentLength === null || contentLength === undefined) return undefined
  if (!/^\d{1,16}$/.test(contentLength.trim())) return { status: 400, message: "content-length is not a size" }
  return Number(contentLength) > limits.maxBytes ? tooLarge(limits) : undefined
}

const tooLarge = (limits: Limits): Refusal => ({
  status: 413,
  message: `body larger than ${limits.maxBytes} bytes`
})

interface Collected {
  readonly chunks: Array<Uint8Array>
  readonly bytes: number
}

/** Keeps chunks up to the limit, counts (and drops) the rest. */
const collect = <E>(stream: Stream.Stream<Uint8Array, E>, maxBytes: number) =>
  Stream.runFold(stream, { chunks: [], bytes: 0 } as Collected, (acc, chunk) => {
    const bytes = acc.bytes + chunk.length
    if (bytes <= maxBytes) acc.chunks.push(chunk)
    else acc.chunks.length = 0
    return { chunks: acc.chunks, bytes }
  })

const decoder = () => new TextDecoder("utf-8", { fatal: true })

const decode = (chunks: ReadonlyArray<Uint8Array>, bytes: number): Either.Either<string, Refusal> => {
  const whole = new Uint8Array(bytes)
  let offset = 0
  for (const chunk of chunks) {
    whole.set(chunk, offset)
    offset += chunk.length
  }
  try {
    return Either.right(decoder().decode(whole))
  } catch {
    return Either.left({ status: 400, message: "body is not UTF-8" })
  }
}

/** The body as text, or why it is refused. Never fails otherwise. */
export const read = <E>(
  stream: Stream.Stream<Uint8Array, E>,
  limits: Limits
): Effect.Effect<Either.Either<string, Refusal>> =>
  // Read in a fiber of its own: giving up waiting for it (the timeout) does not interrupt it.
  Effect.flatMap(Effect.forkDaemon(collect(stream, limits.maxBytes)), Fiber.join).pipe(
    Effect.timeout(limits.timeout),
    Effect.match({
      onFailure: (error): Either.Either<string, Refusal> =>
        Either.left(
          Cause.isTimeoutException(error)
            ? { status: 408, message: `body not received within ${Duration.format(limits.timeout)}` }
            : { status: 400, message: "body could not be read" }
        ),
      onSuccess: ({ chunks, bytes }) =>
        bytes > limits.maxBytes ? Either.left(tooLarge(limits)) : decode(chunks, bytes)
    })
  )
