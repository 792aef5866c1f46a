/**
 * The sandbox's state: sites as configured, links and the payments made through them. Plain
 * immutable data; transitions live in Store.ts, wire shapes in Wire.ts.
 */
import type { TranKeyAlgorithm } from "./Auth.js"

export interface SiteConfig {
  readonly id: number
  readonly name: string
  readonly login: string
  readonly secretKey: string
  readonly tranKeyAlgorithm: TranKeyAlgorithm
  /** `±HH:MM`, as configured. */
  readonly timeZoneOffset: string
  /** The same offset in minutes east of UTC. */
  readonly offsetMinutes: number
  readonly active: boolean
  /** Method codes enabled on the site; undefined = any code is accepted. */
  readonly paymentMethods: ReadonlyArray<string> | undefined
}

export type LinkStatus = "ACTIVE" | "INACTIVE" | "EXPIRED"

export type PaymentStatus = "APPROVED" | "REJECTED" | "PENDING"

export interface Payer {
  readonly name: string
  readonly surname: string
  readonly email: string
  readonly phone: string
  readonly document: string
  readonly documentType: string
}

export interface Tax {
  readonly kind: string
  readonly amount: number
  readonly base?: number
}

export interface Payment {
  readonly id: number
  readonly requestId: number
  readonly status: PaymentStatus
  /** What a PENDING payment settles to (from its test card); equal to `status` once final. */
  readonly settlesTo: "APPROVED" | "REJECTED"
  readonly message: string
  readonly processUrl: string
  readonly currency: string
  readonly total: number
  readonly receipt: string | null
  readonly franchise: string
  readonly paymentMethod: string
  readonly paymentDate: number
  readonly internalReference: number
  readonly authorization: string | null
  readonly issuerName: string
  readonly installments: number
  /** The only part of the card number the sandbox keeps. */
  readonly lastDigits: string
  readonly payer: Payer
}

export interface Link {
  readonly id: number
  readonly siteId: number
  readonly url: string
  /** Base URL the link was created under; checkout session URLs hang from it. */
  readonly baseUrl: string
  readonly code: string
  readonly name: string
  readonly reference: string
  readonly description: string
  /** As sent: `YYYY-MM-DD HH:mm:ss`, site local time. */
  readonly expirationDate: string
  readonly expiresAt: number
  readonly paymentExpiration: number
  /** Approved payments the link accepts; null = unlimited. */
  readonly capacity: number | null
  readonly isGeneric: boolean
  readonly skipResult: boolean
  readonly currency: string
  readonly total: number
  readonly taxes: ReadonlyArray<Tax>
  readonly modifiers: ReadonlyArray<unknown>
  readonly notificationUrl: string | null
  readonly locale: string
  readonly allowedPaymentMethods: ReadonlyArray<string>
  readonly recipients: ReadonlyArray<unknown>
  readonly additional: ReadonlyArray<unknown>
  readonly status: LinkStatus
  readonly createdAt: number
  readonly payments: ReadonlyArray<Payment>
}

export const approvedCount = (link: Link): number => link.payments.filter((p) => p.status === "APPROVED").length

export const pendingCount = (link: Link): number => link.payments.filter((p) => p.status === "PENDING").length

export const availablePayments = (link: Link): number | null =>
  link.capacity === null ? null : Math.max(0, link.capacity - approvedCount(link))

/** No approved payment can be added any more (pending ones hold their slot too). */
export const isExhausted = (link: Link): boolean =>
  link.capacity !== null && approvedCount(link) + pendingCount(link) >= link.capacity

/** Spanish unless the link's locale is English, like the hosted pages. */
export const isEnglish = (link: Link): boolean => link.locale.startsWith("en")
