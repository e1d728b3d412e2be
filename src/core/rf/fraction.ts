// Exact rational numbers for receptive-field jumps (Python's fractions.Fraction, as far as needed).

function gcd(a: bigint, b: bigint): bigint {
  if (a < 0n) a = -a;
  if (b < 0n) b = -b;
  while (b !== 0n) [a, b] = [b, a % b];
  return a;
}

function abs(a: bigint): bigint {
  return a < 0n ? -a : a;
}

/** An exact fraction num/den in lowest terms with den > 0. */
export class Fraction {
  readonly num: bigint;
  readonly den: bigint;

  constructor(num: bigint | number, den: bigint | number = 1n) {
    let n = BigInt(num);
    let d = BigInt(den);
    if (d === 0n) throw new RangeError("Fraction with zero denominator");
    if (d < 0n) {
      n = -n;
      d = -d;
    }
    const g = gcd(n, d);
    this.num = g > 1n ? n / g : n;
    this.den = g > 1n ? d / g : d;
  }

  static readonly ONE = new Fraction(1n);

  /** The exact value of a finite double (what Python's Fraction(float) gives). */
  static fromDouble(x: number): Fraction {
    if (!Number.isFinite(x)) throw new RangeError(`Fraction of ${x}`);
    if (Number.isInteger(x)) return new Fraction(BigInt(x));
    let den = 1n;
    // multiply by 2 until integral: exact in binary floating point (at most 1074 steps)
    while (!Number.isInteger(x)) {
      x *= 2;
      den *= 2n;
    }
    return new Fraction(BigInt(x), den);
  }

  mul(o: Fraction): Fraction {
    return new Fraction(this.num * o.num, this.den * o.den);
  }

  inverse(): Fraction {
    return new Fraction(this.den, this.num);
  }

  sub(o: Fraction): Fraction {
    return new Fraction(this.num * o.den - o.num * this.den, this.den * o.den);
  }

  compare(o: Fraction): number {
    const l = this.num * o.den;
    const r = o.num * this.den;
    return l < r ? -1 : l > r ? 1 : 0;
  }

  equals(o: Fraction): boolean {
    return this.num === o.num && this.den === o.den;
  }

  isInteger(): boolean {
    return this.den === 1n;
  }

  /** Python's Fraction.limit_denominator: the closest fraction with denominator <= maxDen. */
  limitDenominator(maxDen: bigint): Fraction {
    if (this.den <= maxDen) return this;
    let [p0, q0, p1, q1] = [0n, 1n, 1n, 0n];
    let n = this.num;
    let d = this.den;
    while (true) {
      const a = floorDivBig(n, d);
      const q2 = q0 + a * q1;
      if (q2 > maxDen) break;
      [p0, q0, p1, q1] = [p1, q1, p0 + a * p1, q2];
      [n, d] = [d, n - a * d];
    }
    const k = (maxDen - q0) / q1;
    const bound1 = new Fraction(p0 + k * p1, q0 + k * q1);
    const bound2 = new Fraction(p1, q1);
    const d2 = bound2.sub(this);
    const d1 = bound1.sub(this);
    return abs(d2.num) * d1.den <= abs(d1.num) * d2.den ? bound2 : bound1;
  }

  /** The nearest double, ties to even (Python's float(Fraction)). */
  toNumber(): number {
    const n = this.num;
    const d = this.den;
    const lim = 1n << 53n;
    if (abs(n) <= lim && d <= lim) return Number(n) / Number(d);
    const neg = n < 0n;
    const a = abs(n);
    // scale so that the integer quotient has 55+ significant bits, keep a sticky bit
    const shift = 55 - (bitLength(a) - bitLength(d));
    const num = shift >= 0 ? a << BigInt(shift) : a;
    const den = shift >= 0 ? d : d << BigInt(-shift);
    let q = num / den;
    if (q * den !== num) q |= 1n;
    const v = Number(q) * Math.pow(2, -shift);
    return neg ? -v : v;
  }

  toString(): string {
    return this.den === 1n ? `${this.num}` : `${this.num}/${this.den}`;
  }
}

function bitLength(a: bigint): number {
  return a === 0n ? 0 : a.toString(2).length;
}

function floorDivBig(a: bigint, b: bigint): bigint {
  const q = a / b;
  return (a % b !== 0n) && ((a < 0n) !== (b < 0n)) ? q - 1n : q;
}

/** Python's float(x) of a Fraction, or an int when it is whole (the oracle's _num). */
export function fractionToJson(f: Fraction): number {
  return f.isInteger() ? Number(f.num) : f.toNumber();
}
