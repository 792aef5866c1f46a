/**
 * A binary min-heap of deadlines: the expiry scheduler looks at the earliest one in O(1) and adds
 * or removes one in O(log n), so 10,000+ links cost one sleeping fiber rather than one each. Equal
 * deadlines come out in insertion order, so expiry events are deterministic.
 */
interface Entry {
  readonly deadline: number
  readonly seq: number
  readonly id: string
}

const before = (a: Entry, b: Entry): boolean => a.deadline < b.deadline || (a.deadline === b.deadline && a.seq < b.seq)

export class DeadlineHeap {
  private readonly entries: Array<Entry> = []
  private seq = 0

  get size(): number {
    return this.entries.length
  }

  /** The earliest deadline, or undefined when empty. */
  peek(): number | undefined {
    return this.entries[0]?.deadline
  }

  push(deadline: number, id: string): void {
    const entries = this.entries
    const entry: Entry = { deadline, seq: this.seq++, id }
    let i = entries.length
    entries.push(entry)
    while (i > 0) {
      const parent = (i - 1) >> 1
      if (!before(entry, entries[parent]!)) break
      entries[i] = entries[parent]!
      i = parent
    }
    entries[i] = entry
  }

  /** Removes and returns every id whose deadline is at or before `now`, earliest first. */
  popDue(now: number): Array<string> {
    const due: Array<string> = []
    while (this.entries.length > 0 && this.entries[0]!.deadline <= now) {
      due.push(this.entries[0]!.id)
      this.removeTop()
    }
    return due
  }

  private removeTop(): void {
    const entries = this.entries
    const last = entries.pop()!
    const n = entries.length
    if (n === 0) return
    let i = 0
    for (;;) {
      const left = 2 * i + 1
      if (left >= n) break
      const right = left + 1
      const child = right < n && before(entries[right]!, entries[left]!) ? right : left
      if (!before(entries[child]!, last)) break
      entries[i] = entries[child]!
      i = child
    }
    entries[i] = last
  }
}
