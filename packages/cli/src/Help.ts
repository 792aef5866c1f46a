/**
 * Help and usage errors for people: @effect/cli builds them as `HelpDoc`s but renders them at a
 * fixed width, with colours even when piped, and names the command by its last word (`$ create`).
 * This renders the same documents wrapped to the terminal, coloured only on a terminal, with the
 * full command path.
 */
import type * as HelpDoc from "@effect/cli/HelpDoc"
import type * as Span from "@effect/cli/HelpDoc/Span"

/** How text is shown: the terminal's width and whether it takes colours. */
export interface Display {
  readonly width: number
  readonly colour: boolean
}

/** 80 columns and no colours unless `stream` is a terminal (and `NO_COLOR` is not set). */
export const displayOf = (
  stream: { readonly isTTY?: boolean; readonly columns?: number },
  env: Record<string, string | undefined>
): Display =>
  stream.isTTY === true
    ? { width: stream.columns ?? 80, colour: env.NO_COLOR === undefined || env.NO_COLOR === "" }
    : { width: 80, colour: false }

const spanText = (span: Span.Span): string => {
  switch (span._tag) {
    case "Text":
    case "URI":
      return span.value
    case "Sequence":
      return spanText(span.left) + spanText(span.right)
    case "Highlight":
    case "Strong":
    case "Weak":
      return spanText(span.value)
  }
}

const bold = (display: Display, text: string) => (display.colour ? `\u001b[1m${text}\u001b[0m` : text)

/** The words of `text`; with `keepGroups`, a bracketed group such as `[--currency text]` is one word. */
const wordsOf = (text: string, keepGroups: boolean): Array<string> => {
  const words: Array<string> = []
  let depth = 0
  let word = ""
  for (const char of text) {
    if (keepGroups && (char === "[" || char === "(")) depth++
    if (keepGroups && (char === "]" || char === ")")) depth = Math.max(0, depth - 1)
    if (char === " " && depth === 0) {
      if (word !== "") words.push(word)
      word = ""
    } else word += char
  }
  if (word !== "") words.push(word)
  return words
}

/**
 * Splits `text` into lines of at most `width` characters (a longer word stands alone). With
 * `keepGroups`, breaks only at spaces outside brackets, so a usage's `[--currency text]` never splits.
 */
const wrap = (text: string, width: number, hangingIndent = 0, keepGroups = false): Array<string> => {
  const words = wordsOf(text, keepGroups)
  const lines: Array<string> = []
  let line = ""
  for (const next of words) {
    const indent = lines.length === 0 ? "" : " ".repeat(hangingIndent)
    if (line !== "" && indent.length + line.length + 1 + next.length > width) {
      lines.push(indent + line)
      line = next
    } else line = line === "" ? next : `${line} ${next}`
  }
  if (line !== "" || lines.length === 0) lines.push((lines.length === 0 ? "" : " ".repeat(hangingIndent)) + line)
  return lines
}

const leaves = (span: Span.Span): Array<string> =>
  span._tag === "Sequence" ? [...leaves(span.left), ...leaves(span.right)] : [spanText(span)]

/**
 * A line of a COMMANDS list, which @effect/cli writes as the command's whole usage, padding, then
 * its description: the command's words (`links create`) and its description. Undefined otherwise.
 */
const commandEntry = (element: HelpDoc.HelpDoc): { command: string; description: string } | undefined => {
  if (element._tag !== "Paragraph") return undefined
  const parts = leaves(element.value)
  const padding = parts.findIndex((part) => part.length >= 2 && part.trim() === "")
  if (padding === -1) return undefined
  // The command's words: not its options (`[--json]`, `--id text`) nor its arguments (`<key>`).
  const usage = wordsOf(parts.slice(0, padding).join(""), true)
  const command = usage.filter((word, i) => /^[a-z][a-z0-9-]*$/.test(word) && !usage[i - 1]?.startsWith("-"))
  return {
    command: command.join(" "),
    description: parts.slice(padding + 1).join("")
  }
}

/** Commands and descriptions in two columns, each description wrapped in its column. */
const commandTable = (entries: ReadonlyArray<{ command: string; description: string }>, width: number) => {
  const column = Math.min(Math.max(...entries.map((entry) => entry.command.length)) + 4, Math.floor(width / 2))
  return entries.flatMap(({ command, description }) => {
    const [first = "", ...rest] = wrap(description, width - column)
    const head =
      command.length + 4 <= column
        ? `  ${command.padEnd(column - 2)}${first}`
        : `  ${command}\n${" ".repeat(column)}${first}`
    return [head, ...rest.map((line) => `${" ".repeat(column)}${line}`)]
  })
}

/** The blocks of a document, each a list of lines; blocks are shown apart by a blank line. */
const blocks = (doc: HelpDoc.HelpDoc, display: Display, width: number): Array<Array<string>> => {
  switch (doc._tag) {
    case "Empty":
      return []
    case "Header":
      return [[bold(display, spanText(doc.value))]]
    case "Paragraph":
      return [wrap(spanText(doc.value), width)]
    case "Sequence":
      return [...blocks(doc.left, display, width), ...blocks(doc.right, display, width)]
    case "Enumeration": {
      const commands = doc.elements.map(commandEntry)
      if (commands.every((entry) => entry !== undefined)) return [commandTable(commands, width)]
      return [doc.elements.flatMap((element) => lines(element, display, width - 2).map((line) => `- ${line}`))]
    }
    case "DescriptionList":
      // A definition's paragraphs read as one block under its term.
      return doc.definitions.map(([term, definition]) => [
        bold(display, spanText(term)),
        ...blocks(definition, display, width - 2)
          .flat()
          .map((line) => (line === "" ? line : `  ${line}`))
      ])
  }
}

const lines = (doc: HelpDoc.HelpDoc, display: Display, width: number): Array<string> =>
  blocks(doc, display, width).flatMap((block, i) => (i === 0 ? block : ["", ...block]))

/** A document as text for `display`. */
export const render = (doc: HelpDoc.HelpDoc, display: Display): string =>
  lines(doc, display, Math.max(40, display.width)).join("\n")

/** A usage line: the full command path, then the command's options and arguments, wrapped. */
export const usageLine = (path: ReadonlyArray<string>, usage: Span.Span, display: Display): string => {
  const [, ...rest] = spanText(usage).split(" ")
  return wrap([...path, ...rest].join(" "), Math.max(40, display.width), 4, true).join("\n")
}

/** A document as one line (for `--json` errors). */
export const oneLine = (doc: HelpDoc.HelpDoc): string =>
  render(doc, { width: Number.MAX_SAFE_INTEGER, colour: false })
    .split("\n")
    .filter((line) => line.trim() !== "")
    .map((line) => line.trim())
    .join(" ")
