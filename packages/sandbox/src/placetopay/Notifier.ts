/**
 * Payment-link notifications (spec §4.1): signed body, one delivery attempt (PlacetoPay does not
 * retry), outcome recorded for inspection — when it was sent, the HTTP status and the start of
 * what the receiver answered. A failed delivery is a recorded fact, never an error.
 */

import { createHash } from "node:crypto"
import type * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import { bodySnippet } from "../ResponseSnippet.js"

export type NotificationStatus = "PAID" | "EXPIRED"

export interface LinkNotification {
  readonly status: {
    readonly status: NotificationStatus
    readonly reason: 200
    readonly message: string
    readonly date: string
  }
  readonly linkId: number
  readonly reference: string
  readonly signature: string
}

/** Lowercase hex SHA-256(linkId + status + date + secretKey), no prefix. */
export const signature = (linkId: number, status: string, date: string, secretKey: string): string =>
  createHash("sha256").update(`${linkId}${status}${date}${secretKey}`, "utf8").digest("hex")

export const notification = (input: {
  readonly linkId: number
  readonly reference: string
  readonly status: NotificationStatus
  readonly message: string
  readonly date: string
  readonly secretKey: string
}): LinkNotification => ({
  status: { status: input.status, reason: 200, message: input.message, date: input.date },
  linkId: input.linkId,
  reference: input.reference,
  signature: signature(input.linkId, input.status, input.date, input.secretKey)
})

export interface DeliveredNotification {
  readonly linkId: number
  readonly url: string
  readonly body: LinkNotification
  /** HTTP status the receiver answered; null when no response came (refused, timed out…). */
  readonly responseStatus: number | null
  /** Why no response came; null when one did. */
  readonly error: string | null
  /** When it was sent (sandbox clock), ISO 8601 UTC. */
  readonly at: string
  /** The start of the receiver's answer (see `ResponseSnippet`); null when no response came. */
  readonly responseBody: string | null
}

const TIMEOUT = Duration.seconds(10)

/** POSTs the JSON body once; never fails. `atMs` is when it is sent, on the sandbox clock. */
export const deliver = (
  client: HttpClient.HttpClient,
  url: string,
  body: LinkNotification,
  atMs: number
): Effect.Effect<DeliveredNotification> => {
  const record = (
    responseStatus: number | null,
    responseBody: string | null,
    error: string | null
  ): DeliveredNotification => ({
    linkId: body.linkId,
    url,
    body,
    responseStatus,
    error,
    at: new Date(atMs).toISOString(),
    responseBody
  })
  return client
    .execute(HttpClientRequest.post(url).pipe(HttpClientRequest.bodyText(JSON.stringify(body), "application/json")))
    .pipe(
      Effect.flatMap((response) => Effect.map(bodySnippet(response), (snippet) => [response.status, snippet] as const)),
      Effect.scoped,
      Effect.timeoutFail({
        duration: TIMEOUT,
        onTimeout: () => new Error(`no answer within ${Duration.format(TIMEOUT)}`)
      }),
      Effect.match({
        onSuccess: ([status, snippet]) => record(status, snippet, null),
        onFailure: (error) => record(null, null, error.message)
      }),
      // A defect in the client (e.g. a malformed URL slipping through) is recorded, not propagated.
      Effect.catchAllDefect((defect) => Effect.succeed(record(null, null, String(defect))))
    )
}
