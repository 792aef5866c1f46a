/**
 * Reading what a page's form posts (`application/x-www-form-urlencoded`), bounded like every body
 * (`Http.readText`); anything that is not a form is refused. Never fails: every outcome is a value
 * the route answers with a page.
 */
import * as Effect from "effect/Effect"
import { readText } from "../Http.js"

/** Forms here carry a handful of short fields. */
export const MAX_FORM_BYTES = 16 * 1024

export type FormBody =
  | { readonly _tag: "Form"; readonly fields: Readonly<Record<string, string>> }
  | { readonly _tag: "TooLarge" }
  | { readonly _tag: "Unreadable" }
  | { readonly _tag: "NotAForm" }

const isForm = (contentType: string): boolean => /^application\/x-www-form-urlencoded\b/i.test(contentType.trim())

/** The first value of each field, as text. */
export const parseForm = (text: string): Readonly<Record<string, string>> => {
  const fields: Record<string, string> = Object.create(null)
  for (const [key, value] of new URLSearchParams(text)) if (!(key in fields)) fields[key] = value
  return fields
}

export const readForm = Effect.map(readText(MAX_FORM_BYTES), (body): FormBody => {
  if (body._tag !== "Text") return body
  return isForm(body.contentType) ? { _tag: "Form", fields: parseForm(body.text) } : { _tag: "NotAForm" }
})
