// A small CBOR (RFC 8949) codec for Smithy RPC v2 CBOR: maps, arrays (definite and indefinite),
// text/byte strings, integers, floats (half/single/double), booleans, null/undefined, tag 1 timestamps.
import { TimestampList } from './json';

export const CBOR_CONTENT_TYPE = 'application/cbor';

// ---------------------------------------------------------------- decode

export function cborDecode(buf: Buffer): unknown {
  const r = new Reader(buf);
  const v = r.item();
  if (r.pos !== buf.length) throw new Error('trailing bytes after CBOR item');
  return v;
}

const BREAK = Symbol('break');

class Reader {
  pos = 0;
  constructor(private readonly buf: Buffer) {}

  private need(n: number) {
    if (this.pos + n > this.buf.length) throw new Error('truncated CBOR');
  }
  private u8(): number {
    this.need(1);
    return this.buf[this.pos++];
  }
  private arg(info: number): number {
    if (info < 24) return info;
    if (info === 24) return this.u8();
    if (info === 25) {
      this.need(2);
      const v = this.buf.readUInt16BE(this.pos);
      this.pos += 2;
      return v;
    }
    if (info === 26) {
      this.need(4);
      const v = this.buf.readUInt32BE(this.pos);
      this.pos += 4;
      return v;
    }
    if (info === 27) {
      this.need(8);
      const v = this.buf.readBigUInt64BE(this.pos);
      this.pos += 8;
      return Number(v);
    }
    throw new Error(`bad CBOR additional info ${info}`);
  }

  item(): unknown {
    const v = this.itemOrBreak();
    if (v === BREAK) throw new Error('unexpected CBOR break');
    return v;
  }

  private itemOrBreak(): unknown {
    const ib = this.u8();
    const major = ib >> 5;
    const info = ib & 31;
    switch (major) {
      case 0:
        return this.arg(info);
      case 1:
        return -1 - this.arg(info);
      case 2:
      case 3: {
        if (info === 31) {
          const chunks: Buffer[] = [];
          for (;;) {
            const c = this.itemOrBreak();
            if (c === BREAK) break;
            chunks.push(typeof c === 'string' ? Buffer.from(c, 'utf8') : (c as Buffer));
          }
          const all = Buffer.concat(chunks);
          return major === 3 ? all.toString('utf8') : all;
        }
        const n = this.arg(info);
        this.need(n);
        const slice = this.buf.subarray(this.pos, this.pos + n);
        this.pos += n;
        return major === 3 ? slice.toString('utf8') : Buffer.from(slice);
      }
      case 4: {
        const out: unknown[] = [];
        if (info === 31) {
          for (;;) {
            const c = this.itemOrBreak();
            if (c === BREAK) break;
            out.push(c);
          }
        } else {
          const n = this.arg(info);
          for (let i = 0; i < n; i++) out.push(this.item());
        }
        return out;
      }
      case 5: {
        const out: Record<string, unknown> = {};
        if (info === 31) {
          for (;;) {
            const k = this.itemOrBreak();
            if (k === BREAK) break;
            out[String(k)] = this.item();
          }
        } else {
          const n = this.arg(info);
          for (let i = 0; i < n; i++) {
            const k = this.item();
            out[String(k)] = this.item();
          }
        }
        return out;
      }
      case 6: {
        const tag = this.arg(info);
        const inner = this.item();
        if (tag === 1 && typeof inner === 'number') return new Date(inner * 1000);
        return inner;
      }
      default: {
        if (info === 20) return false;
        if (info === 21) return true;
        if (info === 22) return null;
        if (info === 23) return undefined;
        if (info === 25) {
          this.need(2);
          const h = this.buf.readUInt16BE(this.pos);
          this.pos += 2;
          return halfToFloat(h);
        }
        if (info === 26) {
          this.need(4);
          const v = this.buf.readFloatBE(this.pos);
          this.pos += 4;
          return v;
        }
        if (info === 27) {
          this.need(8);
          const v = this.buf.readDoubleBE(this.pos);
          this.pos += 8;
          return v;
        }
        if (info === 31) return BREAK;
        if (info < 24) return undefined; // unassigned simple value
        throw new Error(`bad CBOR simple value ${info}`);
      }
    }
  }
}

function halfToFloat(h: number): number {
  const s = h & 0x8000 ? -1 : 1;
  const e = (h >> 10) & 0x1f;
  const f = h & 0x3ff;
  if (e === 0) return s * 2 ** -14 * (f / 1024);
  if (e === 31) return f ? NaN : s * Infinity;
  return s * 2 ** (e - 15) * (1 + f / 1024);
}

// ---------------------------------------------------------------- encode

export function cborEncode(v: unknown): Buffer {
  const w = new Writer();
  w.value(v);
  return w.finish();
}

class Writer {
  private buf = Buffer.allocUnsafe(1024);
  private pos = 0;

  private ensure(n: number) {
    if (this.pos + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.pos + n) size *= 2;
    const next = Buffer.allocUnsafe(size);
    this.buf.copy(next, 0, 0, this.pos);
    this.buf = next;
  }
  finish(): Buffer {
    return this.buf.subarray(0, this.pos);
  }
  private head(major: number, n: number) {
    this.ensure(9);
    const m = major << 5;
    if (n < 24) this.buf[this.pos++] = m | n;
    else if (n < 0x100) {
      this.buf[this.pos++] = m | 24;
      this.buf[this.pos++] = n;
    } else if (n < 0x10000) {
      this.buf[this.pos++] = m | 25;
      this.buf.writeUInt16BE(n, this.pos);
      this.pos += 2;
    } else if (n < 0x100000000) {
      this.buf[this.pos++] = m | 26;
      this.buf.writeUInt32BE(n, this.pos);
      this.pos += 4;
    } else {
      this.buf[this.pos++] = m | 27;
      this.buf.writeBigUInt64BE(BigInt(n), this.pos);
      this.pos += 8;
    }
  }
  private double(x: number) {
    this.ensure(9);
    this.buf[this.pos++] = 0xfb;
    this.buf.writeDoubleBE(x, this.pos);
    this.pos += 8;
  }
  private number(x: number) {
    if (Number.isInteger(x) && Math.abs(x) <= Number.MAX_SAFE_INTEGER) {
      if (x >= 0) this.head(0, x);
      else this.head(1, -1 - x);
    } else this.double(x);
  }
  private timestamp(ms: number) {
    this.ensure(1);
    this.buf[this.pos++] = 0xc1; // tag 1
    this.double(ms / 1000);
  }
  private string(s: string) {
    const len = Buffer.byteLength(s, 'utf8');
    this.head(3, len);
    this.ensure(len);
    this.buf.write(s, this.pos, 'utf8');
    this.pos += len;
  }

  value(v: unknown): void {
    if (v === null || v === undefined) {
      this.ensure(1);
      this.buf[this.pos++] = 0xf6;
    } else if (typeof v === 'boolean') {
      this.ensure(1);
      this.buf[this.pos++] = v ? 0xf5 : 0xf4;
    } else if (typeof v === 'number') this.number(v);
    else if (typeof v === 'string') this.string(v);
    else if (v instanceof Date) this.timestamp(v.getTime());
    else if (v instanceof TimestampList) {
      this.head(4, v.ms.length);
      for (const ms of v.ms) this.timestamp(ms);
    } else if (Buffer.isBuffer(v)) {
      this.head(2, v.length);
      this.ensure(v.length);
      v.copy(this.buf, this.pos);
      this.pos += v.length;
    } else if (Array.isArray(v)) {
      this.head(4, v.length);
      for (const x of v) this.value(x);
    } else if (typeof v === 'object') {
      const entries = Object.entries(v as Record<string, unknown>).filter(([, x]) => x !== undefined);
      this.head(5, entries.length);
      for (const [k, x] of entries) {
        this.string(k);
        this.value(x);
      }
    } else throw new Error(`cannot CBOR-encode ${typeof v}`);
  }
}
