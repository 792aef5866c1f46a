/**
 * The pages a PlacetoPay link leads a guest through, as pure functions from the link's snapshot
 * (its query view) to a page: the checkout at the link's URL (what is paid, a card form listing the
 * test cards) and the checkout session's page at the payment's `processUrl` (the result). Spanish,
 * or English when the link's locale is. Every value is escaped (`Html`).
 */
import { formatAmount, groupDigits } from "../pages/Amount.js"
import { type Document, type Html, html, localPath } from "../pages/Html.js"
import { testCards } from "./Cards.js"
import type { LinkView, PaymentView } from "./Wire.js"

/** What the pages show of the site a link belongs to. */
export interface SiteInfo {
  readonly name: string
  /** `±HH:MM`: the zone the link's expiration date is written in. */
  readonly timeZoneOffset: string
}

/** What the guest typed, to show again with the message that refused it (never the card number). */
export interface CheckoutForm {
  readonly error?: string
  readonly holder?: string
  readonly expiry?: string
}

type Language = "es" | "en"

const texts = {
  es: {
    banner: "Sandbox de PlacetoPay: ningún pago es real y solo se aceptan tarjetas de prueba.",
    reference: "Referencia",
    description: "Descripción",
    amount: "Valor",
    expires: "Vence",
    status: "Estado",
    payments: "Pagos",
    available: (left: number, total: number) => `${left} de ${total} disponibles`,
    unlimited: "sin límite",
    active: "Pendiente de pago",
    paid: "Pagado",
    pending: "Pago en validación",
    expired: "Vencido",
    disabled: "Desactivado",
    notPayable: {
      paid: "Este link ya fue pagado: no acepta más pagos.",
      pending: "Hay un pago en validación que ocupa el último cupo de este link.",
      expired: "Este link venció: ya no acepta pagos.",
      disabled: "El comercio desactivó este link: ya no acepta pagos."
    },
    cardTitle: "Pagar con tarjeta",
    number: "Número de tarjeta",
    expiry: "Vencimiento (MM/AA)",
    cvv: "CVV",
    holder: "Titular",
    pay: (amount: string) => `Pagar ${amount}`,
    testCards: "Tarjetas de prueba",
    testCardsHint: "Cualquier vencimiento futuro y cualquier CVV.",
    outcome: {
      APPROVED: "aprobada",
      REJECTED: "rechazada",
      PENDING_APPROVED: "pendiente, luego aprobada",
      PENDING_REJECTED: "pendiente, luego rechazada"
    },
    previous: "Pagos de este link",
    date: "Fecha",
    card: "Tarjeta",
    result: { APPROVED: "Pago aprobado", REJECTED: "Pago rechazado", PENDING: "Pago pendiente" },
    receipt: "Recibo",
    authorization: "Autorización",
    settleHint:
      "En PlacetoPay el banco responde más tarde. Aquí puede simular esa respuesta ahora (según la tarjeta de prueba).",
    settle: "Simular la respuesta del banco",
    back: "Volver al link",
    payAgain: "Hacer otro pago",
    notFound: "Link de pago no encontrado",
    notFoundText: "Este link no existe en el sandbox (o su código no corresponde).",
    session: "Sesión"
  },
  en: {
    banner: "PlacetoPay sandbox: no payment is real and only test cards are accepted.",
    reference: "Reference",
    description: "Description",
    amount: "Amount",
    expires: "Expires",
    status: "Status",
    payments: "Payments",
    available: (left: number, total: number) => `${left} of ${total} available`,
    unlimited: "unlimited",
    active: "Awaiting payment",
    paid: "Paid",
    pending: "Payment being validated",
    expired: "Expired",
    disabled: "Disabled",
    notPayable: {
      paid: "This link has been paid: it takes no more payments.",
      pending: "A payment being validated holds this link's last slot.",
      expired: "This link has expired: it takes no more payments.",
      disabled: "The merchant disabled this link: it takes no more payments."
    },
    cardTitle: "Pay by card",
    number: "Card number",
    expiry: "Expiry (MM/YY)",
    cvv: "CVV",
    holder: "Cardholder",
    pay: (amount: string) => `Pay ${amount}`,
    testCards: "Test cards",
    testCardsHint: "Any future expiry and any CVV.",
    outcome: {
      APPROVED: "approved",
      REJECTED: "rejected",
      PENDING_APPROVED: "pending, then approved",
      PENDING_REJECTED: "pending, then rejected"
    },
    previous: "Payments on this link",
    date: "Date",
    card: "Card",
    result: { APPROVED: "Payment approved", REJECTED: "Payment rejected", PENDING: "Payment pending" },
    receipt: "Receipt",
    authorization: "Authorization",
    settleHint: "At PlacetoPay the bank answers later. Here you can play that answer now (as the test card decides).",
    settle: "Play the bank's answer",
    back: "Back to the link",
    payAgain: "Make another payment",
    notFound: "Payment link not found",
    notFoundText: "This link does not exist in the sandbox (or its code does not match).",
    session: "Session"
  }
} as const

const languageOf = (link: LinkView): Language => (link.locale.startsWith("en") ? "en" : "es")
const localeOf = (language: Language): string => (language === "en" ? "en-US" : "es-CO")

/** The message shown when a number that is not a test card is typed. */
export const notATestCard = (language: Language): string =>
  language === "en"
    ? "This is a sandbox: only the test cards listed below are accepted. No real card is ever charged here."
    : "Esto es un sandbox: solo se aceptan las tarjetas de prueba de la lista. Aquí nunca se cobra una tarjeta real."

export const messageLanguage = languageOf

/** Where a link stands for a guest; `paid` wins over expiry and disabling (spec §3.4). */
export type LinkState = "active" | "paid" | "pending" | "expired" | "disabled"

export const linkState = (link: LinkView): LinkState => {
  const approved = link.payments.filter((p) => p.status === "APPROVED").length
  const pending = link.payments.filter((p) => p.status === "PENDING").length
  const capacity = link.totalPayments
  if (capacity !== null && approved >= capacity) return "paid"
  if (link.status === "EXPIRED") return "expired"
  if (link.status === "INACTIVE") return "disabled"
  if (capacity !== null && approved + pending >= capacity) return "pending"
  return "active"
}

const badgeClass: Readonly<Record<LinkState | PaymentView["status"], string>> = {
  active: "wait",
  pending: "wait",
  paid: "good",
  expired: "off",
  disabled: "off",
  APPROVED: "good",
  REJECTED: "bad",
  PENDING: "wait"
}

const badge = (kind: LinkState | PaymentView["status"], label: string): Html =>
  html`<span class="status ${badgeClass[kind]}">${label}</span>`

/** `UTC−05:00` from `-05:00`. */
const zoneLabel = (offset: string): string => `UTC${offset.replace("-", "−")}`

/** `2026-01-27T10:15:00-05:00` → `2026-01-27 10:15:00 (UTC−05:00)`. */
const readableDate = (iso: string): string => {
  const match = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2}:\d{2})([+-]\d{2}:\d{2})$/.exec(iso)
  return match === null ? iso : `${match[1]} ${match[2]} (${zoneLabel(match[3]!)})`
}

const cardOf = (payment: PaymentView): string => `${payment.paymentMethod.toUpperCase()} ****${payment.lastDigits}`

const amountText = (link: LinkView, language: Language): string =>
  formatAmount(link.amount.total, link.amount.currency, localeOf(language))

const summary = (link: LinkView, site: SiteInfo, language: Language): Html => {
  const t = texts[language]
  const state = linkState(link)
  const left = link.availablePayments
  return html`<section class="card" aria-labelledby="summary-title">
<h1 id="summary-title">${link.name}</h1>
<p class="muted">${site.name}</p>
<p class="amount" id="amount">${amountText(link, language)}</p>
<dl>
<dt>${t.reference}</dt><dd id="reference">${link.reference}</dd>
<dt>${t.description}</dt><dd id="description">${link.description}</dd>
<dt>${t.expires}</dt><dd id="expires">${link.expirationDate} (${zoneLabel(site.timeZoneOffset)})</dd>
<dt>${t.status}</dt><dd id="status">${badge(state, t[state])}</dd>
${
  link.isGeneric || (link.totalPayments ?? 1) > 1
    ? html`<dt>${t.payments}</dt><dd id="available">${
        left === null || link.totalPayments === null ? t.unlimited : t.available(left, link.totalPayments)
      }</dd>`
    : ""
}
</dl>
</section>`
}

const testCardTable = (language: Language): Html => {
  const t = texts[language]
  return html`<section class="card" aria-labelledby="testcards-title">
<h2 id="testcards-title">${t.testCards}</h2>
<p class="muted">${t.testCardsHint}</p>
<table class="testcards"><thead><tr><th scope="col">${t.number}</th><th scope="col">${t.status}</th></tr></thead><tbody>
${testCards.flatMap(([outcome, numbers]) =>
  numbers.map((n) => html`<tr><td>${groupDigits(n)}</td><td>${t.outcome[outcome]}</td></tr>`)
)}
</tbody></table>
</section>`
}

const paymentsTable = (link: LinkView, language: Language): Html => {
  if (link.payments.length === 0) return html``
  const t = texts[language]
  return html`<section class="card" aria-labelledby="payments-title">
<h2 id="payments-title">${t.previous}</h2>
<table class="stack"><thead><tr><th scope="col">${t.date}</th><th scope="col">${t.card}</th><th scope="col">${t.status}</th></tr></thead><tbody>
${link.payments.map(
  (p) =>
    html`<tr><td data-label="${t.date}">${readableDate(p.paymentDate)}</td><td data-label="${t.card}">${cardOf(p)}</td><td data-label="${t.status}">${badge(p.status, t.result[p.status])}</td></tr>`
)}
</tbody></table>
</section>`
}

const cardForm = (link: LinkView, language: Language, form: CheckoutForm): Html => {
  const t = texts[language]
  const described = form.error === undefined ? "" : html` aria-describedby="form-error" aria-invalid="true"`
  return html`<section class="card" aria-labelledby="form-title">
<h2 id="form-title">${t.cardTitle}</h2>
${form.error === undefined ? "" : html`<p class="error" role="alert" id="form-error">${form.error}</p>`}
<form method="post" action="${localPath(link.url)}" autocomplete="off">
<label for="number">${t.number}</label>
<input id="number" name="number" inputmode="numeric" autocomplete="off" required maxlength="23" list="test-card-numbers"${described}>
<datalist id="test-card-numbers">${testCards.flatMap(([outcome, numbers]) =>
    numbers.map((n) => html`<option value="${n}">${t.outcome[outcome]}</option>`)
  )}</datalist>
<div class="row">
<div><label for="expiry">${t.expiry}</label><input id="expiry" name="expiry" inputmode="numeric" placeholder="12/30" required maxlength="7" value="${form.expiry ?? ""}"></div>
<div><label for="cvv">${t.cvv}</label><input id="cvv" name="cvv" inputmode="numeric" placeholder="123" required maxlength="4"></div>
</div>
<label for="holder">${t.holder}</label>
<input id="holder" name="holder" required maxlength="80" value="${form.holder ?? ""}">
<button type="submit" id="pay">${t.pay(amountText(link, language))}</button>
</form>
</section>`
}

/** The page at the link's URL. A link that takes no payment shows why, without a form. */
export const checkoutPage = (link: LinkView, site: SiteInfo, form: CheckoutForm = {}): Document => {
  const language = languageOf(link)
  const t = texts[language]
  const state = linkState(link)
  return {
    lang: language,
    title: `${link.name} · ${site.name}`,
    banner: t.banner,
    body: html`${summary(link, site, language)}
${
  state === "active"
    ? html`${cardForm(link, language, form)}${testCardTable(language)}`
    : html`${form.error === undefined ? "" : html`<p class="error" role="alert" id="form-error">${form.error}</p>`}<p class="notice" id="not-payable">${t.notPayable[state]}</p>`
}
${paymentsTable(link, language)}`
  }
}

/** The checkout session's page (the payment's `processUrl`): the result of that payment. */
export const sessionPage = (link: LinkView, site: SiteInfo, payment: PaymentView): Document => {
  const language = languageOf(link)
  const t = texts[language]
  const tone = payment.status === "APPROVED" ? "ok" : payment.status === "REJECTED" ? "error" : "notice"
  const again = linkState(link) === "active"
  return {
    lang: language,
    title: `${t.result[payment.status]} · ${site.name}`,
    banner: t.banner,
    body: html`<section class="card" aria-labelledby="result-title">
<h1 id="result-title">${t.result[payment.status]}</h1>
<p class="${tone}" id="result-message" role="status">${payment.message}</p>
<p class="amount">${formatAmount(payment.amount.total, payment.amount.currency, localeOf(language))}</p>
<dl>
<dt>${t.reference}</dt><dd id="reference">${link.reference}</dd>
<dt>${t.description}</dt><dd id="description">${link.description}</dd>
<dt>${t.card}</dt><dd>${cardOf(payment)}</dd>
<dt>${t.date}</dt><dd>${readableDate(payment.paymentDate)}</dd>
<dt>${t.session}</dt><dd>${payment.requestId}</dd>
${payment.receipt === null ? "" : html`<dt>${t.receipt}</dt><dd>${payment.receipt}</dd>`}
${payment.authorization === null ? "" : html`<dt>${t.authorization}</dt><dd>${payment.authorization}</dd>`}
</dl>
${
  payment.status === "PENDING"
    ? html`<p class="muted">${t.settleHint}</p><form method="post" action="${localPath(payment.processUrl)}"><button type="submit" id="settle">${t.settle}</button></form>`
    : ""
}
<p><a class="button secondary" id="back" href="${localPath(link.url)}">${again ? t.payAgain : t.back}</a></p>
</section>`
  }
}

export const notFoundPage = (): Document => ({
  lang: "es",
  title: texts.es.notFound,
  banner: texts.es.banner,
  body: html`<section class="card"><h1>${texts.es.notFound}</h1><p>${texts.es.notFoundText}</p></section>`
})
