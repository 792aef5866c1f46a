/**
 * The hosted pages standing in for Autocore's, as pure functions from the simulator's snapshots to
 * pages: the pay page of a payment link or of a gift card's `GC_…` link (a card form listing the
 * test cards), and a cash order's `checkout_url` (the method's instructions and a "paid at the
 * store" button standing in for the cash network). Forms post back to the page; what they do ends
 * in Autocore's webhook, re-delivered until the receiver answers 200. Spanish, like Autocore's.
 * Every value is escaped (`Html`).
 */
import { formatAmount, groupDigits } from "../pages/Amount.js"
import { type Document, type Html, html, safeHref } from "../pages/Html.js"
import { insufficientFunds, testCards } from "./Cards.js"
import type { GiftCardSnapshot, LinkSnapshot, OrderSnapshot, PaymentAttempt } from "./Model.js"
import { colombiaMinutes } from "./Time.js"

const banner = "Sandbox de Autocore: ningún pago es real y solo se aceptan tarjetas de prueba."
const locale = "es-CO"

/** What the guest typed, shown again with the message that refused it (never the card number). */
export interface CardForm {
  readonly error?: string
  readonly holder?: string
  readonly expiry?: string
}

export interface LinkPage {
  readonly link: LinkSnapshot
  /** The gift card a `GC_…` link sells. */
  readonly giftCard?: GiftCardSnapshot | undefined
  /** Where the page's forms post: the page's own path. */
  readonly path: string
  readonly form?: CardForm
  /** The attempt just made through the page, shown on top. */
  readonly attempt?: PaymentAttempt | undefined
}

const statusLabel = {
  active: "Pendiente de pago",
  paid: "Pagado",
  expired: "Vencido",
  in_process: "Pago en proceso",
  pending: "Pendiente de pago",
  applied: "Pagado",
  rejected: "Rechazado"
} as const

const tone = {
  active: "wait",
  paid: "good",
  expired: "off",
  in_process: "wait",
  pending: "wait",
  applied: "good",
  rejected: "bad"
} as const

const badge = (status: keyof typeof statusLabel): Html =>
  html`<span class="status ${tone[status]}">${statusLabel[status]}</span>`

const cardOutcome = (number: string): string => {
  const scenario = testCards[number]
  switch (scenario?._tag) {
    case "Approved":
      return "aprobada"
    case "Declined":
      return `rechazada (${scenario.comments})`
    case "Pending":
      return scenario.settlesTo === "approved" ? "en proceso, luego aprobada" : "en proceso, luego rechazada"
    default:
      return "tarjeta no válida"
  }
}

/** A link's status for the guest: a payment in process shows as such. */
const linkStatus = (link: LinkSnapshot): keyof typeof statusLabel =>
  link.status === "active" && link.attempts.some((a) => a.outcome === "in_process") ? "in_process" : link.status

const at = (iso: string): string => {
  const ms = Date.parse(iso)
  return Number.isNaN(ms) ? iso : `${colombiaMinutes(ms)} (UTC−05:00)`
}

const testCardTable: Html = html`<section class="card" aria-labelledby="testcards-title">
<h2 id="testcards-title">Tarjetas de prueba</h2>
<p class="muted">Cualquier vencimiento futuro y CVV 123.</p>
<table class="testcards"><thead><tr><th scope="col">Número</th><th scope="col">Resultado</th></tr></thead><tbody>
${Object.keys(testCards).map((n) => html`<tr><td>${groupDigits(n)}</td><td>${cardOutcome(n)}</td></tr>`)}
</tbody></table>
</section>`

const cardForm = (page: LinkPage): Html => {
  const form = page.form ?? {}
  const described = form.error === undefined ? "" : html` aria-describedby="form-error" aria-invalid="true"`
  return html`<section class="card" aria-labelledby="form-title">
<h2 id="form-title">Pagar con tarjeta</h2>
${form.error === undefined ? "" : html`<p class="error" role="alert" id="form-error">${form.error}</p>`}
<form method="post" action="${page.path}" autocomplete="off">
<label for="number">Número de tarjeta</label>
<input id="number" name="number" inputmode="numeric" autocomplete="off" required maxlength="23" list="test-card-numbers"${described}>
<datalist id="test-card-numbers">${Object.keys(testCards).map((n) => html`<option value="${n}">${cardOutcome(n)}</option>`)}</datalist>
<div class="row">
<div><label for="expiry">Vencimiento (MM/AA)</label><input id="expiry" name="expiry" inputmode="numeric" placeholder="12/30" required maxlength="7" value="${form.expiry ?? ""}"></div>
<div><label for="cvv">CVV</label><input id="cvv" name="cvv" inputmode="numeric" placeholder="123" required maxlength="4"></div>
</div>
<label for="holder">Titular</label>
<input id="holder" name="holder" required maxlength="80" value="${form.holder ?? ""}">
<button type="submit" id="pay">Pagar ${formatAmount(page.link.amount, page.link.currency, locale)}</button>
</form>
</section>`
}

/** The result of the attempt just made (or of the one in process), with what comes next. */
const attemptResult = (page: LinkPage): Html => {
  const attempt = page.attempt ?? page.link.attempts.find((a) => a.outcome === "in_process")
  if (attempt === undefined) return html``
  const { link } = page
  switch (attempt.outcome) {
    case "approved":
      return html`<section class="ok" role="status" id="result"><h2>Pago aprobado</h2><p>Transacción ${attempt.transactionId}. Autocore avisa al comercio por webhook.</p>${
        link.successUrl === null
          ? ""
          : html`<p><a class="button secondary" id="continue" href="${safeHref(link.successUrl)}">Volver al comercio</a></p>`
      }</section>`
    case "declined":
      return html`<section class="error" role="status" id="result"><h2>Pago rechazado</h2><p>${insufficientFunds} Puede intentar con otra tarjeta.</p>${
        link.failureUrl === null
          ? ""
          : html`<p><a class="button secondary" id="continue" href="${safeHref(link.failureUrl)}">Volver al comercio</a></p>`
      }</section>`
    case "in_process":
      return html`<section class="notice" role="status" id="result"><h2>Pago en proceso</h2><p>Autocore avisó al comercio que el pago está en proceso; el resultado llega por otro webhook.</p>
<p class="muted">Aquí puede simular ahora la respuesta del banco (según la tarjeta de prueba).</p>
<form method="post" action="${page.path}/settle"><button type="submit" id="settle">Simular la respuesta del banco</button></form></section>`
  }
}

/** The pay page of a link or of a gift card's link. */
export const linkPage = (page: LinkPage): Document => {
  const { link, giftCard } = page
  const status = linkStatus(link)
  const title = link.kind === "gift_card" ? "Tarjeta de regalo" : "Link de pago"
  const details =
    giftCard === undefined
      ? html`<dt>Descripción</dt><dd id="description">${link.description}</dd>`
      : html`<dt>Para</dt><dd id="recipient">${giftCard.recipientName}</dd><dt>De</dt><dd>${giftCard.senderName}</dd><dt>Mensaje</dt><dd id="description">${giftCard.note}</dd>`
  return {
    lang: "es",
    title: `${title} · ${link.hotelName}`,
    banner,
    body: html`${attemptResult(page)}<section class="card" aria-labelledby="summary-title">
<h1 id="summary-title">${title}</h1>
<p class="muted">${link.hotelName} · ${link.company}</p>
<p class="amount" id="amount">${formatAmount(link.amount, link.currency, locale)}</p>
<dl>
${link.externalRefId === null ? "" : html`<dt>Referencia</dt><dd id="reference">${link.externalRefId}</dd>`}
${details}
<dt>Estado</dt><dd id="status">${badge(status)}</dd>
${link.expiresAt === null ? "" : html`<dt>Vence</dt><dd>${at(link.expiresAt)}</dd>`}
</dl>
</section>
${
  status === "active"
    ? html`${cardForm(page)}${testCardTable}`
    : status === "paid"
      ? html`<p class="notice" id="not-payable">Este link ya fue pagado.</p>`
      : status === "expired"
        ? html`<p class="notice" id="not-payable">Este link venció: ya no acepta pagos.</p>`
        : ""
}`
  }
}

export interface CashPage {
  readonly order: OrderSnapshot
  /** Where the page's form posts: the page's own path. */
  readonly path: string
  /** The order was just completed through the page. */
  readonly justDone?: boolean
}

/** How a guest pays at each cash network or wallet; anything else gets the general instructions. */
const methods: Readonly<Record<string, { readonly name: string; readonly how: string }>> = {
  efecty: { name: "Efecty", how: "Vaya a cualquier punto Efecty y dé el código de pago y el valor." },
  baloto: { name: "Baloto", how: "Vaya a cualquier punto Baloto y dé el código de pago y el valor." },
  su_red: { name: "SuRed", how: "Vaya a cualquier punto SuRed y dé el código de pago y el valor." },
  gana: { name: "Gana", how: "Vaya a cualquier punto Gana y dé el código de pago y el valor." },
  daviplata: { name: "DaviPlata", how: "Abra DaviPlata, elija pagar con código y escriba el código de pago." },
  nequi: { name: "Nequi", how: "Abra Nequi, elija pagar con código y escriba el código de pago." }
}

/** A cash order's `checkout_url`: the method's instructions, and buttons standing in for the cash network. */
export const cashPage = (page: CashPage): Document => {
  const { order } = page
  const method = methods[order.paymentType.toLowerCase()]
  const amount = formatAmount(order.amount, "COP", locale)
  return {
    lang: "es",
    title: `Pago en efectivo · ${order.hotelName}`,
    banner,
    body: html`${
      page.justDone === true
        ? order.status === "applied"
          ? html`<section class="ok" role="status" id="result"><h2>Pago recibido</h2><p>Autocore avisa al comercio por webhook.</p><p><a class="button secondary" id="continue" href="${safeHref(order.responseUrl)}">Volver al comercio</a></p></section>`
          : html`<section class="error" role="status" id="result"><h2>Orden rechazada</h2><p>Autocore avisa al comercio por webhook.</p><p><a class="button secondary" id="continue" href="${safeHref(order.responseUrl)}">Volver al comercio</a></p></section>`
        : ""
    }<section class="card" aria-labelledby="summary-title">
<h1 id="summary-title">Pago en efectivo</h1>
<p class="muted">${order.hotelName} · ${order.company}</p>
<p class="amount" id="amount">${amount}</p>
<dl>
<dt>Referencia</dt><dd id="reference">${order.refNumber}</dd>
<dt>Detalle</dt><dd id="description">${order.detail}</dd>
<dt>Medio</dt><dd id="method">${method?.name ?? order.paymentType}</dd>
<dt>Código de pago</dt><dd id="payment-code"><code>${order.transactionId}</code></dd>
<dt>Estado</dt><dd id="status">${badge(order.status)}</dd>
</dl>
</section>
${
  order.status === "pending"
    ? html`<section class="card" aria-labelledby="how-title">
<h2 id="how-title">Cómo pagar</h2>
<ol id="instructions"><li>${method?.how ?? `Pague en un punto o canal de ${order.paymentType} con el código de pago.`}</li><li>Pague exactamente ${amount}.</li><li>Guarde el comprobante: el comercio recibe la confirmación de Autocore.</li></ol>
<p class="muted">En el sandbox no hay red de pagos: estos botones hacen de punto de pago.</p>
<form method="post" action="${page.path}">
<button type="submit" name="outcome" value="approved" id="paid-at-store">Pagado en el punto</button>
<button type="submit" name="outcome" value="declined" id="decline" class="secondary">Rechazar la orden</button>
</form>
</section>`
    : page.justDone === true
      ? ""
      : html`<p class="notice" id="not-payable">Esta orden ya fue procesada.</p>`
}`
  }
}

export const notFoundPage = (): Document => ({
  lang: "es",
  title: "No encontrado",
  banner,
  body: html`<section class="card"><h1>No encontrado</h1><p>Este enlace no existe en el simulador.</p></section>`
})
