/**
 * Payment-link notifications (spec §4.1): signed body, one delivery attempt (PlacetoPay does not
 * retry), outcome recorded for inspection. A failed delivery is a recorded fact, never an error.
 */

import { createHash } from "node:crypto"
import { type HttpClient, HttpClientRequest } from "@effect/platform"
import { Duration, Effect } from "effect"

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
}

const TIMEOUT = Duration.seconds(10)

/** POSTs the JSON body once; never fails. */
export const deliver = (
  client: HttpClient.HttpClient,
  url: string,
  body: LinkNotification
): Effect.Effect<DeliveredNotification> =>
  client
    .execute(HttpClientRequest.post(url).pipe(HttpClientRequest.bodyText(JSON.stringify(body), "application/json")))
    .pipe(
      Effect.map((response) => response.status),
      Effect.scoped,
      Effect.timeoutFail({
        duration: TIMEOUT,
        onTimeout: () => new Error(`no answer within ${Duration.format(TIMEOUT)}`)
      }),
      Effect.match({
        onSuccess: (status): DeliveredNotification => ({
          linkId: body.linkId,
          url,
          body,
          responseStatus: status,
          error: null
        }),
        onFailure: (error): DeliveredNotification => ({
          linkId: body.linkId,
          url,
          body,
          responseStatus: null,
          error: error.message
        })
      }),
      // A defect in the client (e.g. a malformed URL slipping through) is recorded, not propagated.
      Effect.catchAllDefect((defect) =>
        Effect.succeed<DeliveredNotification>({
          linkId: body.linkId,
          url,
          body,
          responseStatus: null,
          error: String(defect)
        })
      )
    )
