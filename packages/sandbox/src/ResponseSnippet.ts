/**
 * What a notification's receiver answered, for the delivery log: the first bytes of the answer's
 * body as text. The rest is never read, so a receiver answering megabytes costs the sandbox no
 * more than one answering "ok".
 */
import type * as HttpClientResponse from "@effect/platform/HttpClientResponse"
import * as Effect from "effect/Effect"
import * as Stream from "effect/Stream"

/** Bytes of each answer the delivery log keeps. */
export const SNIPPET_BYTES = 1024

const decoder = new TextDecoder("utf-8", { fatal: false })

/** Up to `SNIPPET_BYTES` of the body, `…` appended when there was more; `""` when it cannot be read. */
export const bodySnippet = (response: HttpClientResponse.HttpClientResponse): Effect.Effect<string> =>
  response.stream.pipe(
    Stream.runFoldWhile(
      { chunks: [] as Array<Uint8Array>, size: 0 },
      (read) => read.size <= SNIPPET_BYTES,
      (read, chunk) => {
        read.chunks.push(chunk)
        return { chunks: read.chunks, size: read.size + chunk.length }
      }
    ),
    Effect.map(({ chunks, size }) => {
      const bytes = new Uint8Array(Math.min(size, SNIPPET_BYTES))
      let offset = 0
      for (const chunk of chunks) {
        if (offset >= bytes.length) break
        const part = chunk.subarray(0, bytes.length - offset)
        bytes.set(part, offset)
        offset += part.length
      }
      const text = decoder.decode(bytes)
      // A character cut in two at the limit decodes as U+FFFD: drop it rather than show it.
      return size > SNIPPET_BYTES ? `${text.replace(/\uFFFD$/, "")}…` : text
    }),
    Effect.orElseSucceed(() => "")
  )
