/**
 * A tracer that records every span, for tests that check what an operation traces: names, parents,
 * kinds, attributes, events and how each span ended (`Effect.withTracer(recordingTracer(spans))`).
 */
import * as Cause from "effect/Cause"
import * as Exit from "effect/Exit"
import * as Option from "effect/Option"
import * as Tracer from "effect/Tracer"

/** One span as `recordingTracer` saw it. */
export interface RecordedSpan {
  readonly name: string
  /** The parent span's name (undefined for a root or an external parent). */
  readonly parent: string | undefined
  readonly kind: Tracer.SpanKind
  readonly attributes: Map<string, unknown>
  readonly events: Array<string>
  exit?: string
}

/** A tracer that keeps every span, its attributes, events and how it ended. */
export const recordingTracer = (spans: Array<RecordedSpan>): Tracer.Tracer =>
  Tracer.make({
    span: (name, parent, context, links, startTime, kind) => {
      const record: RecordedSpan = {
        name,
        parent: Option.isSome(parent) && parent.value._tag === "Span" ? parent.value.name : undefined,
        kind,
        attributes: new Map(),
        events: []
      }
      spans.push(record)
      const span: Tracer.Span = {
        _tag: "Span",
        name,
        spanId: `span-${spans.length}`,
        traceId: "trace-1",
        parent,
        context,
        status: { _tag: "Started", startTime },
        attributes: record.attributes,
        links: [...links],
        sampled: true,
        kind,
        end: (_endTime, exit) => {
          record.exit = Exit.isSuccess(exit) ? "success" : Cause.pretty(exit.cause)
        },
        attribute: (key, value) => {
          record.attributes.set(key, value)
        },
        event: (eventName, _time, attributes) => {
          record.events.push(`${eventName} ${JSON.stringify(attributes ?? {})}`)
        },
        addLinks: () => {}
      }
      return span
    },
    context: (f) => f()
  })
