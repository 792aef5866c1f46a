/**
 * The dashboard at the sandbox's root, as pure functions from the simulators' snapshots to a page:
 * every notification and webhook delivery (each attempt's time, HTTP answer and the start of what
 * the receiver answered — the first thing to look at when "the webhook didn't arrive"), then the
 * links, charges, cash orders and gift cards, each linking to its page. The page refreshes its
 * live part by itself (a small inline script fetching `fragmentPath`; a `<noscript>` reload
 * without it), and the refresh can be paused. Every value is escaped (`Html`).
 */
import type {
  LinkSnapshot as AutocoreLink,
  ChargeSnapshot,
  GiftCardSnapshot,
  Hotel,
  OrderSnapshot,
  StateSnapshot,
  WebhookDelivery
} from "../autocore/Model.js"
import { pagesPrefix as autocorePages } from "../autocore/Routes.js"
import { formatAmount } from "../pages/Amount.js"
import { type Document, type Html, html, localPath } from "../pages/Html.js"
import type { LinkSnapshot as PlacetoPayLink } from "../placetopay/Engine.js"
import type { DeliveredNotification } from "../placetopay/Notifier.js"
import { type LinkState, linkState } from "../placetopay/Pages.js"

/** Where the page fetches its live part from. */
export const fragmentPath = "/__sandbox/dashboard"

/** Seconds between refreshes. */
export const REFRESH_SECONDS = 2

/** Rows per table: the newest ones (a long test run makes thousands). */
export const MAX_ROWS = 100

export interface PlacetoPayView {
  readonly sites: ReadonlyArray<{ readonly id: number; readonly name: string }>
  readonly links: ReadonlyArray<PlacetoPayLink>
  readonly deliveries: ReadonlyArray<DeliveredNotification>
}

export interface AutocoreView {
  readonly hotels: ReadonlyArray<Hotel>
  readonly state: StateSnapshot
  readonly deliveries: ReadonlyArray<WebhookDelivery>
  /** Pause between re-deliveries, and the most attempts (undefined: no limit, like Autocore). */
  readonly retryIntervalMs: number
  readonly maxAttempts: number | undefined
}

export interface View {
  readonly placetopay?: PlacetoPayView | undefined
  readonly autocore?: AutocoreView | undefined
  readonly nowMs: number
}

const amount = (value: number, currency: string): Html =>
  html`<span class="nowrap">${formatAmount(value, currency, "en-US")}</span>`

const timeOf = (iso: string): string => {
  const ms = Date.parse(iso)
  return Number.isNaN(ms) ? iso : `${new Date(ms).toISOString().slice(0, 19).replace("T", " ")} UTC`
}

type Tone = "good" | "bad" | "wait" | "off"

const badge = (tone: Tone, label: string): Html => html`<span class="status ${tone}">${label}</span>`

/** Query values that authenticate the URL (Autocore's webhook token) are shortened, never shown whole. */
export const maskUrl = (url: string): string =>
  url.replace(/([?&][^=&#]*(?:token|signature|secret|key)[^=&#]*=)([^&#]{4})[^&#]+/gi, "$1$2…")

const newestFirst = <A>(rows: ReadonlyArray<A>): ReadonlyArray<A> => rows.slice(-MAX_ROWS).reverse()

const table = (
  id: string,
  title: string,
  count: number,
  headers: ReadonlyArray<string>,
  rows: ReadonlyArray<ReadonlyArray<Html | string>>,
  empty: string
): Html =>
  html`<section aria-labelledby="${id}-title" id="${id}">
<h2 id="${id}-title">${title} <span class="muted">(${count})</span></h2>
${
  rows.length === 0
    ? html`<p class="muted">${empty}</p>`
    : html`<table class="stack"><thead><tr>${headers.map((h) => html`<th scope="col">${h}</th>`)}</tr></thead><tbody>
${rows.map((cells) => html`<tr>${cells.map((cell, i) => html`<td data-label="${headers[i] ?? ""}">${cell}</td>`)}</tr>`)}
</tbody></table>${count > rows.length ? html`<p class="muted">The newest ${rows.length} of ${count}.</p>` : ""}`
}
</section>`

// ---- deliveries ----

interface DeliveryRow {
  readonly at: string
  readonly gateway: string
  readonly what: string
  readonly reference: string
  readonly url: string
  readonly attempt: string
  readonly status: number | null
  readonly error: string | null
  readonly responseBody: string | null
  readonly payload: unknown
  readonly key: string
}

const answer = (row: DeliveryRow): Html =>
  row.status === null
    ? badge("bad", `no answer: ${row.error ?? "unknown"}`)
    : badge(row.status >= 200 && row.status < 300 ? "good" : "bad", `HTTP ${row.status}`)

/** The HTTP answer, the start of its body, and (folded) what was sent. */
const details = (row: DeliveryRow): Html =>
  html`${answer(row)}${
    row.responseBody === null
      ? ""
      : row.responseBody === ""
        ? html` <span class="muted">(empty body)</span>`
        : html`<pre>${row.responseBody}</pre>`
  }
<details data-key="${row.key}"><summary>Payload sent</summary><pre>${JSON.stringify(row.payload, null, 2)}</pre></details>`

/** `500 ms`, `30 s`, `30 min`. */
export const formatInterval = (ms: number): string =>
  ms < 1000 ? `${ms} ms` : ms < 120_000 ? `${Math.round(ms / 1000)} s` : `${Math.round(ms / 60_000)} min`

const placetopayRows = (view: PlacetoPayView): ReadonlyArray<DeliveryRow> =>
  view.deliveries.map((d, i) => ({
    at: d.at,
    gateway: "PlacetoPay",
    what: `link ${d.linkId} ${d.body.status.status}`,
    reference: d.body.reference,
    url: d.url,
    attempt: "1 (sent once)",
    status: d.responseStatus,
    error: d.error,
    responseBody: d.responseBody,
    payload: d.body,
    key: `p2p-${i}`
  }))

const field = (value: unknown, ...path: ReadonlyArray<string>): string | undefined => {
  let current = value
  for (const key of path) {
    if (typeof current !== "object" || current === null) return undefined
    current = (current as Record<string, unknown>)[key]
  }
  return typeof current === "string" ? current : undefined
}

const autocoreRows = (view: AutocoreView): ReadonlyArray<DeliveryRow> => {
  const lastAttempt = new Map<number, WebhookDelivery>()
  for (const d of view.deliveries) lastAttempt.set(d.deliveryId, d)
  return view.deliveries.map((d) => {
    const type = field(d.body, "details", "type")
    const status = field(d.body, "details", "status_code") ?? field(d.body, "payment_status") ?? "?"
    const isLast = lastAttempt.get(d.deliveryId) === d
    const willRetry = isLast && d.status !== 200 && (view.maxAttempts === undefined || d.attempt < view.maxAttempts)
    const next = willRetry
      ? ` · next attempt ${timeOf(new Date(Date.parse(d.at) + view.retryIntervalMs).toISOString())}`
      : ""
    return {
      at: d.at,
      gateway: "Autocore",
      what: `${type ?? "webhook"} ${status}`,
      reference: field(d.body, "external_ref_id") ?? "",
      url: d.url,
      attempt: `${d.attempt}${d.status === 200 ? " (delivered)" : ""}${next}`,
      status: d.status,
      error: d.error,
      responseBody: d.responseBody,
      payload: d.body,
      key: `ac-${d.deliveryId}-${d.attempt}`
    }
  })
}

const deliveries = (view: View): Html => {
  const rows = [
    ...(view.placetopay === undefined ? [] : placetopayRows(view.placetopay)),
    ...(view.autocore === undefined ? [] : autocoreRows(view.autocore))
  ].sort((a, b) => a.at.localeCompare(b.at))
  const autocoreRule =
    view.autocore === undefined
      ? ""
      : html` Autocore re-delivers every ${formatInterval(view.autocore.retryIntervalMs)}${
          view.autocore.maxAttempts === undefined ? "" : ` (at most ${view.autocore.maxAttempts} attempts)`
        } until the receiver answers exactly 200.`
  return html`${table(
    "deliveries",
    "Notifications and webhooks",
    rows.length,
    ["Time", "Gateway", "Event", "Reference", "Sent to", "Attempt", "Answer"],
    newestFirst(rows).map((r) => [
      timeOf(r.at),
      r.gateway,
      r.what,
      r.reference,
      html`<code>${maskUrl(r.url)}</code>`,
      r.attempt,
      details(r)
    ]),
    "Nothing sent yet. Pay a link and its notification shows up here."
  )}<p class="muted">PlacetoPay sends each notification once.${autocoreRule}</p>`
}

// ---- PlacetoPay ----

const placetopayTone: Readonly<Record<LinkState, Tone>> = {
  active: "wait",
  pending: "wait",
  paid: "good",
  expired: "off",
  disabled: "off"
}

const placetopayLinks = (view: PlacetoPayView): Html =>
  table(
    "placetopay-links",
    "PlacetoPay links",
    view.links.length,
    ["ID", "Site", "Reference", "Description", "Amount", "Status", "Payments", "Expires", "Page"],
    newestFirst(view.links).map((link) => {
      const state = linkState(link)
      return [
        String(link.id),
        view.sites.find((s) => s.id === link.siteId)?.name ?? String(link.siteId),
        link.reference,
        link.description,
        amount(link.amount.total, link.amount.currency),
        badge(placetopayTone[state], `${state} (${link.status})`),
        link.payments.length === 0 ? "—" : link.payments.map((p) => `${p.status} ****${p.lastDigits}`).join(", "),
        link.expirationDate,
        html`<a href="${localPath(link.url)}" data-key="p2p-link-${link.id}">Open checkout</a>`
      ]
    }),
    "No links yet."
  )

// ---- Autocore ----

const autocoreLinkPath = (hotels: ReadonlyArray<Hotel>, link: AutocoreLink): string => {
  const slug = hotels.find((h) => h.id === link.hotelId)?.slug ?? "hotel"
  return `${autocorePages}/payment/${encodeURIComponent(slug)}/${encodeURIComponent(link.code)}`
}

const linkTone = (link: AutocoreLink): [Tone, string] =>
  link.status === "paid"
    ? ["good", "paid"]
    : link.status === "expired"
      ? ["off", "expired"]
      : link.attempts.some((a) => a.outcome === "in_process")
        ? ["wait", "in process"]
        : ["wait", "active"]

const autocoreLinks = (view: AutocoreView): Html => {
  const links = view.state.links.filter((l) => l.kind === "link")
  return table(
    "autocore-links",
    "Autocore links",
    links.length,
    ["Code", "Hotel", "Reference", "Description", "Amount", "Status", "Attempts", "Page"],
    newestFirst(links).map((link) => [
      link.code,
      link.hotelName,
      link.externalRefId ?? "—",
      link.description,
      amount(link.amount, link.currency),
      badge(...linkTone(link)),
      link.attempts.length === 0 ? "—" : link.attempts.map((a) => a.outcome).join(", "),
      html`<a href="${autocoreLinkPath(view.hotels, link)}" data-key="ac-link-${link.code}">Open pay page</a>`
    ]),
    "No links yet."
  )
}

const chargeTone: Readonly<Record<ChargeSnapshot["status"], Tone>> = {
  applied: "good",
  in_process: "wait",
  rejected: "bad",
  invalid_card: "bad"
}

const charges = (view: AutocoreView): Html =>
  table(
    "autocore-charges",
    "Autocore card charges",
    view.state.charges.length,
    ["Voucher", "Hotel", "Reference", "Card", "Amount", "Status", "Action"],
    newestFirst(view.state.charges).map((charge) => [
      String(charge.id),
      charge.hotelName,
      charge.refNumber,
      `****${charge.cardLast4}`,
      amount(charge.amount, charge.currency ?? "COP"),
      badge(chargeTone[charge.status], charge.status),
      charge.status === "in_process" && charge.transactionId !== null
        ? html`<form method="post" action="${autocorePages}/charges/${encodeURIComponent(charge.transactionId)}/settle"><button type="submit" class="small" data-key="settle-${charge.transactionId}">Settle (${charge.settlesTo ?? "?"})</button></form>`
        : "—"
    ]),
    "No charges yet."
  )

const orderTone: Readonly<Record<OrderSnapshot["status"], Tone>> = { pending: "wait", applied: "good", rejected: "bad" }

const orders = (view: AutocoreView): Html =>
  table(
    "autocore-orders",
    "Autocore cash orders",
    view.state.orders.length,
    ["Transaction", "Hotel", "Reference", "Method", "Amount", "Status", "Page"],
    newestFirst(view.state.orders).map((order) => [
      order.transactionId,
      order.hotelName,
      order.refNumber,
      order.paymentType,
      amount(order.amount, "COP"),
      badge(orderTone[order.status], order.status),
      html`<a href="${autocorePages}/checkout/cash/${encodeURIComponent(order.transactionId)}" data-key="ac-order-${order.transactionId}">Open checkout</a>`
    ]),
    "No cash orders yet."
  )

const giftCardPath = (view: AutocoreView, card: GiftCardSnapshot): string => {
  const link = view.state.links.find((l) => l.code === card.paymentLinkCode)
  return link === undefined ? "#" : autocoreLinkPath(view.hotels, link)
}

const giftCards = (view: AutocoreView): Html =>
  table(
    "autocore-gift-cards",
    "Autocore gift cards",
    view.state.giftCards.length,
    ["Code", "Reference", "From", "To", "Amount", "Balance", "Status", "Page"],
    newestFirst(view.state.giftCards).map((card) => [
      card.giftCardCode,
      card.externalRefId,
      card.senderName,
      card.recipientName,
      amount(card.amount, card.currency),
      amount(card.balance, card.currency),
      badge(card.status === "active" ? "good" : "wait", card.status),
      html`<a href="${giftCardPath(view, card)}" data-key="ac-gift-${card.giftCardCode}">Open pay page</a>`
    ]),
    "No gift cards yet."
  )

/** The part that refreshes. */
export const fragment = (view: View): Html =>
  html`<p class="muted" id="updated">Updated ${timeOf(new Date(view.nowMs).toISOString())}</p>
${deliveries(view)}
${view.placetopay === undefined ? "" : placetopayLinks(view.placetopay)}
${
  view.autocore === undefined
    ? ""
    : html`${autocoreLinks(view.autocore)}${charges(view.autocore)}${orders(view.autocore)}${giftCards(view.autocore)}`
}`

/**
 * Refreshes `#live` every few seconds unless paused or hidden; keeps the focused element and the
 * open payload details across a refresh (matched by `data-key`), so the keyboard is never lost.
 */
const SCRIPT = `(()=>{const live=document.getElementById("live"),auto=document.getElementById("auto");let last=null,busy=false;
const tick=async()=>{if(!auto.checked||busy||document.hidden)return;busy=true;try{const r=await fetch(${JSON.stringify(fragmentPath)},{cache:"no-store"});if(!r.ok)return;const text=await r.text();if(text===last)return;last=text;
const focused=document.activeElement&&live.contains(document.activeElement)?document.activeElement.getAttribute("data-key"):null;
const open=[...live.querySelectorAll("details[open][data-key]")].map(d=>d.getAttribute("data-key"));
live.innerHTML=text;for(const key of open){const d=live.querySelector('details[data-key="'+CSS.escape(key)+'"]');if(d)d.open=true}
if(focused){const again=live.querySelector('[data-key="'+CSS.escape(focused)+'"]');if(again)again.focus()}}finally{busy=false}};
setInterval(tick,${REFRESH_SECONDS * 1000})})()`

export const dashboardPage = (view: View): Document => ({
  lang: "en",
  title: "Pasarela sandbox",
  banner: "Sandbox: local simulators of PlacetoPay and Autocore. No payment here is real.",
  wide: true,
  head: html`<noscript><meta http-equiv="refresh" content="${REFRESH_SECONDS * 5}"></noscript>`,
  script: SCRIPT,
  body: html`<h1>Pasarela sandbox</h1>
<nav aria-label="Sections"><p>
<a href="#deliveries">Deliveries</a>
${view.placetopay === undefined ? "" : html` · <a href="#placetopay-links">PlacetoPay links</a>`}
${
  view.autocore === undefined
    ? ""
    : html` · <a href="#autocore-links">Autocore links</a> · <a href="#autocore-charges">Charges</a> · <a href="#autocore-orders">Cash orders</a> · <a href="#autocore-gift-cards">Gift cards</a>`
}
</p></nav>
<p><label class="toggle"><input type="checkbox" id="auto" checked>Refresh every ${REFRESH_SECONDS} s</label></p>
<div id="live" aria-live="off">${fragment(view)}</div>`
})
