// A byte ring buffer for a server's stderr: memory stays bounded however much a server writes, and
// error messages can still quote its last lines.

/** Keeps the last `capacity` bytes written to it. */
export class RingBuffer {
  private chunks: Buffer[] = [];
  private size = 0;
  constructor(readonly capacity: number) {}
  push(chunk: Buffer): void {
    this.chunks.push(chunk);
    this.size += chunk.length;
    while (this.size > this.capacity && this.chunks.length > 0) {
      const first = this.chunks[0] as Buffer;
      const excess = this.size - this.capacity;
      if (first.length <= excess) {
        this.chunks.shift();
        this.size -= first.length;
      } else {
        this.chunks[0] = first.subarray(excess);
        this.size -= excess;
      }
    }
  }
  text(): string {
    return Buffer.concat(this.chunks).toString('utf8');
  }
  /** The last `lines` non-empty lines, for error messages. */
  tail(lines = 5): string {
    return this.text().split(/\r?\n/).filter((l) => l.trim()).slice(-lines).join('\n');
  }
}
