/**
 * Markup for the simulators' pages, escaped by construction: `html` escapes every value it
 * interpolates (text and attribute values alike) unless the value is itself `Html`, so a
 * description holding `<script>` or `"><img onerror=…>` can only ever show up as text. Pages are
 * whole documents with their styles inline: no build step, no external assets.
 */
import { createHash } from "node:crypto"
import * as HttpServerResponse from "@effect/platform/HttpServerResponse"

/**
 * Markup that is safe as is: made only by `html` (which escapes what it interpolates) or
 * `trusted`. A class private to this module, so no data (an object decoded from JSON, say) can
 * pass for markup by its shape.
 */
class Markup {
  constructor(readonly text: string) {}
}

export type Html = Markup

const make = (text: string): Html => new Markup(text)

/** What `html` interpolates: markup as is, anything else escaped, arrays joined, nothing for null/undefined/false. */
export type Value = Html | string | number | boolean | null | undefined | ReadonlyArray<Value>

const isHtml = (value: unknown): value is Html => value instanceof Markup

/** Escapes the five characters that can end text or an attribute value (and the backtick, for old parsers). */
export const escapeText = (text: string): string => text.replace(/[&<>"'`]/g, (c) => `&#${c.charCodeAt(0)};`)

const render = (value: Value): string => {
  if (value === null || value === undefined || value === false) return ""
  if (isHtml(value)) return value.text
  if (Array.isArray(value)) return value.map(render).join("")
  return escapeText(String(value))
}

/** A template whose interpolations are escaped: `html\`<td>${description}</td>\``. */
export const html = (strings: TemplateStringsArray, ...values: ReadonlyArray<Value>): Html => {
  let out = strings[0] ?? ""
  for (let i = 0; i < values.length; i++) out += render(values[i]) + (strings[i + 1] ?? "")
  return make(out)
}

/** Markup written in this code base (never data): constant scripts and styles. */
export const trusted = (text: string): Html => make(text)

/**
 * An `href` for a URL that came from a request: kept when it is http(s) or a path on this server,
 * otherwise `#` (a `javascript:` URL would run on click even when escaped).
 */
export const safeHref = (url: string): string => {
  if (url.startsWith("/") && !url.startsWith("//")) return url
  try {
    const parsed = new URL(url)
    return parsed.protocol === "http:" || parsed.protocol === "https:" ? parsed.toString() : "#"
  } catch {
    return "#"
  }
}

/** The path and query of a URL this server made (pages link and post back to themselves); `/` if unreadable. */
export const localPath = (url: string): string => {
  try {
    const parsed = new URL(url, "http://sandbox.invalid")
    return `${parsed.pathname}${parsed.search}`
  } catch {
    return "/"
  }
}

const STYLE = `
*{box-sizing:border-box}
html{-webkit-text-size-adjust:100%}
body{margin:0;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1f2328;background:#f6f8fa}
main{max-width:36rem;margin:0 auto;padding:1rem}
main.wide{max-width:80rem}
h1{font-size:1.5rem;margin:.5rem 0 1rem}
h2{font-size:1.2rem;margin:1.5rem 0 .5rem}
a{color:#0a4bb4}
.banner{background:#fff4ce;border-bottom:1px solid #d4a72c;padding:.5rem 1rem;font-size:.9rem;text-align:center}
.card{background:#fff;border:1px solid #d0d7de;border-radius:8px;padding:1rem;margin:0 0 1rem}
.card h1,.card h2{margin-top:0}
dl{display:grid;grid-template-columns:max-content 1fr;gap:.25rem 1rem;margin:0}
dt{font-weight:600}
dd{margin:0;overflow-wrap:anywhere}
.amount{font-size:1.4rem;font-weight:700}
label{display:block;font-weight:600;margin:.75rem 0 .25rem}
input{width:100%;font:inherit;padding:.6rem;border:1px solid #8c959f;border-radius:6px;background:#fff}
.row{display:flex;gap:.75rem;align-items:flex-end}
.row>div{flex:1;min-width:0}
button,.button{display:inline-block;font:inherit;font-weight:600;min-height:44px;padding:.6rem 1.2rem;border-radius:6px;border:1px solid #0a4bb4;background:#0a4bb4;color:#fff;cursor:pointer;text-decoration:none;margin:.75rem .5rem 0 0}
button.secondary,.button.secondary{background:#fff;color:#0a4bb4}
button.small{min-height:36px;padding:.3rem .8rem;margin:0}
:focus-visible{outline:3px solid #bf8700;outline-offset:2px}
.notice{border-left:4px solid #0a4bb4;background:#ddf4ff;padding:.75rem;margin:0 0 1rem}
.error{border-left:4px solid #cf222e;background:#ffebe9;padding:.75rem;margin:0 0 1rem}
.ok{border-left:4px solid #1a7f37;background:#dafbe1;padding:.75rem;margin:0 0 1rem}
.ok h2,.error h2,.notice h2{margin-top:0}
.status{display:inline-block;padding:0 .5rem;border-radius:1rem;border:1px solid currentColor;font-size:.85rem;font-weight:600;white-space:nowrap}
.status.good{color:#1a7f37}.status.bad{color:#cf222e}.status.wait{color:#9a6700}.status.off{color:#57606a}
table{border-collapse:collapse;width:100%;background:#fff;font-size:.9rem}
th,td{text-align:left;vertical-align:top;padding:.4rem .5rem;border-bottom:1px solid #d0d7de;overflow-wrap:break-word}
td code{overflow-wrap:anywhere}
.nowrap{white-space:nowrap}
th{background:#f6f8fa}
caption{text-align:left;font-weight:600;padding:.25rem 0}
code,pre{font-family:ui-monospace,SFMono-Regular,Menlo,monospace;font-size:.85rem}
pre{white-space:pre-wrap;overflow-wrap:anywhere;margin:.25rem 0 0;background:#f6f8fa;padding:.5rem;border-radius:6px;max-height:16rem;overflow:auto}
.muted{color:#57606a;font-size:.9rem}
.toggle{display:inline;font-weight:400}
.toggle input{width:auto;margin-right:.4rem}
.testcards td:first-child{font-family:ui-monospace,SFMono-Regular,Menlo,monospace;white-space:nowrap}
@media (max-width:40rem){
  .stack thead{position:absolute;left:-9999px}
  .stack tr{display:block;border-bottom:2px solid #d0d7de;padding:.25rem 0}
  .stack td{display:grid;grid-template-columns:7.5rem 1fr;gap:.5rem;border:0;padding:.2rem .5rem}
  .stack td::before{content:attr(data-label);font-weight:600}
}
`

export interface Document {
  readonly lang: string
  readonly title: string
  /** The notice every page carries, in the page's language. */
  readonly banner: string
  readonly body: Html
  readonly wide?: boolean
  /** Markup for `<head>` (a `<noscript>` refresh, say). */
  readonly head?: Html
  /** One inline script, written in this code base; allowed by its hash in the page's CSP. */
  readonly script?: string
}

/** A whole page. */
export const document = (doc: Document): Html =>
  html`<!doctype html><html lang="${doc.lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><meta name="robots" content="noindex"><title>${doc.title}</title><style>${trusted(STYLE)}</style>${doc.head}</head><body><div class="banner" role="note">${doc.banner}</div><main${doc.wide === true ? trusted(' class="wide"') : ""}>${doc.body}</main>${doc.script === undefined ? "" : trusted(`<script>${doc.script}</script>`)}</body></html>`

const scriptHash = (script: string): string =>
  `'sha256-${createHash("sha256").update(script, "utf8").digest("base64")}'`

/**
 * Content-Security-Policy of a page: nothing from elsewhere, inline styles, and no script but the
 * page's own (by hash). Escaping is what keeps data inert; this is the second line.
 */
export const contentSecurityPolicy = (script: string | undefined): string =>
  [
    "default-src 'none'",
    "style-src 'unsafe-inline'",
    `script-src ${script === undefined ? "'none'" : scriptHash(script)}`,
    "connect-src 'self'",
    "img-src 'self' data:",
    "form-action 'self'",
    "base-uri 'none'",
    "frame-ancestors 'none'"
  ].join("; ")

/** A page as an HTML answer, with its security headers (the CSP allows the page's own script). */
export const respond = (doc: Document, status = 200) =>
  HttpServerResponse.text(document(doc).text, {
    status,
    contentType: "text/html; charset=utf-8",
    headers: {
      "content-security-policy": contentSecurityPolicy(doc.script),
      "x-content-type-options": "nosniff",
      "referrer-policy": "no-referrer",
      "cache-control": "no-store"
    }
  })

/** A fragment for the dashboard's own refresh (same escaping; no document around it). */
export const respondFragment = (fragment: Html) =>
  HttpServerResponse.text(fragment.text, {
    contentType: "text/html; charset=utf-8",
    headers: { "x-content-type-options": "nosniff", "cache-control": "no-store" }
  })

/** 303 to a page on this server: after a form post, so reloading the result does not post again. */
export const seeOther = (location: string) => HttpServerResponse.redirect(location, { status: 303 })
