/**
 * Reading what a page's form posts (`application/x-www-form-urlencoded`), bounded: a declared
 * length over the limit is refused unread, a longer body is cut off, anything else that is not a
 * form is refused. Never fails: every outcome is a value the route answers with a page.
 */
import * as HttpIncomingMessage from "@effect/platform/HttpIncomingMessage"
import * as HttpServerRequest from "@effect/platform/HttpServerRequest"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"

/** Forms here carry a handful of short fields. */
export const MAX_FORM_BYTES = 16 * 1024

export type FormBody =
  | { readonly _tag: "Form"; readonly fields: Readonly<Record<string, string>> }
  | { readonly _tag: "TooLarge" }
  | { readonly _tag: "Unreadable" }
  | { readonly _tag: "NotAForm" }

const isForm = (contentType: string | undefined): boolean =>
  contentType !== undefined && /^application\/x-www-form-urlencoded\b/i.test(contentType.trim())

/** The first value of each field, as text. */
export const parseForm = (text: string): Readonly<Record<string, string>> => {
  const fields: Record<string, string> = Object.create(null)
  for (const [key, value] of new URLSearchParams(text)) if (!(key in fields)) fields[key] = value
  return fields
}

export const readForm: Effect.Effect<FormBody, never, HttpServerRequest.HttpServerRequest> = Effect.gen(function* () {
  const request = yield* HttpServerRequest.HttpServerRequest
  const declared = Number(request.headers["content-length"] ?? "0")
  if (Number.isFinite(declared) && declared > MAX_FORM_BYTES) return { _tag: "TooLarge" } as const
  if (!isForm(request.headers["content-type"])) return { _tag: "NotAForm" } as const
  return yield* request.text.pipe(
    HttpIncomingMessage.withMaxBodySize(Option.some(MAX_FORM_BYTES)),
    Effect.match({
      onFailure: (error): FormBody =>
        error.cause instanceof Error && error.cause.message === "maxBytes exceeded"
          ? { _tag: "TooLarge" }
          : { _tag: "Unreadable" },
      onSuccess: (text): FormBody => ({ _tag: "Form", fields: parseForm(text) })
    })
  )
})
