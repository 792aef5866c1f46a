/**
 * HTTP plumbing shared by the routes: the error type answered as Autocore's envelope, header
 * authentication, exact paths, and body reading that never crashes (bad JSON → 400, > 1 MiB → 413).
 */
import * as HttpIncomingMessage from "@effect/platform/HttpIncomingMessage"
import * as HttpServerRequest from "@effect/platform/HttpServerRequest"
import * as HttpServerResponse from "@effect/platform/HttpServerResponse"
import * as Clock from "effect/Clock"
import * as Data from "effect/Data"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Option from "effect/Option"
import { AuthClockShift } from "../Faults.js"
import * as Auth from "./Auth.js"
import type { Account } from "./Model.js"
import { envelope } from "./Responses.js"
import { type Issue, validationDetail } from "./Wire.js"

/** Answered as `{ code, message, detail }` with `status`. */
export class ApiError extends Data.TaggedError("ApiError")<{ readonly status: number; readonly detail: string }> {}

export const invalid = (issues: ReadonlyArray<Issue>) => new ApiError({ status: 400, detail: validationDetail(issues) })

export const maxBodyBytes = 1024 * 1024

export const json = (body: unknown, status = 200) => HttpServerResponse.unsafeJson(body, { status })

export const errorResponse = (error: ApiError) => json(envelope(error.status, error.detail), error.status)

/** Runs a handler: typed errors become envelopes, defects a 500 that reveals nothing. */
export const handle = <R>(
  handler: Effect.Effect<HttpServerResponse.HttpServerResponse, ApiError, R>
): Effect.Effect<HttpServerResponse.HttpServerResponse, never, R> =>
  handler.pipe(
    Effect.catchTag("ApiError", (error) => Effect.succeed(errorResponse(error))),
    Effect.catchAllDefect(() => Effect.succeed(json(envelope(500, "Error interno del simulador"), 500)))
  )

const header = (request: HttpServerRequest.HttpServerRequest, name: string): string | undefined =>
  request.headers[name.toLowerCase()]

/** `http://host:port` of the request, used for absolute URLs the simulator hands out. */
export const origin = Effect.map(HttpServerRequest.HttpServerRequest, (request) => {
  const host = header(request, "host")
  return `http://${host !== undefined && host.length > 0 ? host : "127.0.0.1"}`
})

export const pathname = (request: HttpServerRequest.HttpServerRequest): string =>
  new URL(request.url, "http://sandbox.invalid").pathname

/**
 * The router ignores trailing slashes; Autocore's paths are exact (`/v2/links/schedule/` needs its
 * slash, `/v1/gift-cards` must not have one), so anything else is a 404 like an unknown path.
 */
export const exactPath = (path: string) =>
  Effect.flatMap(HttpServerRequest.HttpServerRequest, (request) =>
    pathname(request) === path ? Effect.void : Effect.fail(notFoundError(request))
  )

export const notFoundError = (request: HttpServerRequest.HttpServerRequest) =>
  new ApiError({ status: 404, detail: `No existe la ruta ${request.method} ${pathname(request)}` })

export const requireApiKey = (accounts: ReadonlyArray<Account>) =>
  Effect.flatMap(HttpServerRequest.HttpServerRequest, (request) =>
    Either.match(Auth.verifyApiKey(accounts, header(request, "access_key"), header(request, "secret_key")), {
      onLeft: (detail) => Effect.fail(new ApiError({ status: 401, detail })),
      onRight: Effect.succeed
    })
  )

/**
 * The token is judged against the sandbox's auth clock: Effect's clock shifted by `skew`, plus a
 * `clockSkew` fault's shift for this request (`Faults.AuthClockShift`).
 */
export const requireAuthToken = (accounts: ReadonlyArray<Account>, skew: Duration.Duration) =>
  Effect.flatMap(HttpServerRequest.HttpServerRequest, (request) =>
    Effect.flatMap(Effect.zip(Clock.currentTimeMillis, AuthClockShift), ([now, shift]) =>
      Either.match(
        Auth.verifyAuthToken(accounts, header(request, "auth_token"), now + Duration.toMillis(skew) + shift),
        {
          onLeft: (detail) => Effect.fail(new ApiError({ status: 401, detail })),
          onRight: Effect.succeed
        }
      )
    )
  )

const tooLarge = new ApiError({ status: 413, detail: "El cuerpo supera 1 MiB" })

/**
 * Reads a JSON body. A declared length over the limit is refused before reading; a chunked body
 * that grows past it is cut off (the connection may close before the 413 arrives).
 * `optional`: an empty body reads as `{}` (control endpoints).
 */
export const readJson = (options: { readonly optional?: boolean } = {}) =>
  Effect.gen(function* () {
    const request = yield* HttpServerRequest.HttpServerRequest
    const declared = header(request, "content-length")
    if (declared !== undefined && Number(declared) > maxBodyBytes) return yield* tooLarge
    const text = yield* request.text.pipe(
      HttpIncomingMessage.withMaxBodySize(Option.some(maxBodyBytes)),
      Effect.mapError((error) =>
        error.cause instanceof Error && error.cause.message === "maxBytes exceeded"
          ? tooLarge
          : new ApiError({ status: 400, detail: "No se pudo leer el cuerpo" })
      )
    )
    if (text.trim().length === 0) {
      if (options.optional === true) return {} as unknown
      return yield* new ApiError({ status: 400, detail: "El cuerpo debe ser un objeto JSON" })
    }
    const contentType = header(request, "content-type") ?? ""
    if (!contentType.toLowerCase().includes("application/json")) {
      return yield* new ApiError({ status: 400, detail: "Content-Type debe ser application/json" })
    }
    return yield* Effect.try({
      try: () => JSON.parse(text) as unknown,
      catch: () => new ApiError({ status: 400, detail: "El cuerpo no es JSON válido" })
    })
  })
