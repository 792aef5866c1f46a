/** Helpers for the pages' tests: a browser's GETs and form posts, over real loopback HTTP. */
import * as Effect from "effect/Effect"

export interface PageReply {
  readonly status: number
  readonly text: string
  readonly headers: Headers
  /** `Location` of a redirect, as sent. */
  readonly location: string | null
}

const reply = async (response: Response): Promise<PageReply> => ({
  status: response.status,
  text: await response.text(),
  headers: response.headers,
  location: response.headers.get("location")
})

/** GET as a browser does; `url` absolute, or a path on `baseUrl`. */
export const open = (url: string, baseUrl = ""): Effect.Effect<PageReply> =>
  Effect.promise(() => fetch(new URL(url, baseUrl || undefined), { redirect: "manual" }).then(reply))

/** Posts a form the way a browser does (urlencoded), without following the redirect. */
export const submit = (
  url: string,
  fields: Readonly<Record<string, string>>,
  baseUrl = "",
  contentType = "application/x-www-form-urlencoded"
): Effect.Effect<PageReply> =>
  Effect.promise(() =>
    fetch(new URL(url, baseUrl || undefined), {
      method: "POST",
      headers: { "content-type": contentType },
      body: new URLSearchParams(fields).toString(),
      redirect: "manual"
    }).then(reply)
  )

/** The path and query of a URL (forms post to the page's own path). */
export const pathOf = (url: string): string => {
  const parsed = new URL(url)
  return `${parsed.pathname}${parsed.search}`
}

/** Visible text of a page, tags dropped and entities of the escaped characters decoded. */
export const textOf = (html: string): string =>
  html
    .replace(/<script[\s\S]*?<\/script>|<style[\s\S]*?<\/style>/g, "")
    .replace(/<[^>]+>/g, " ")
    .replace(/&#(\d+);/g, (_, code: string) => String.fromCharCode(Number(code)))
    .replace(/\s+/g, " ")
    .trim()

export const card = (number: string, overrides: Record<string, string> = {}) => ({
  number,
  expiry: "12/35",
  cvv: "123",
  holder: "Laura Pelaez",
  ...overrides
})
