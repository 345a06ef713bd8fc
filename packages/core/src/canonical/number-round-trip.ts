/**
 * @module Whether a JSON number's text denotes exactly the value an IEEE 754 double parses it to.
 * `1.0`, `1e2` and `0.1` do (they read back as 1, 100 and 0.1); `12345678901234567890`,
 * `1e400` and `1e-400` do not.
 */

interface Decimal {
  negative: boolean;
  digits: string; // significant digits, no leading or trailing zeros ("" for zero)
  exponent: number; // value = 0.digits * 10^exponent
}

function toDecimal(text: string): Decimal | undefined {
  const match = /^(-?)(\d+)(?:\.(\d+))?(?:[eE]([+-]?\d+))?$/.exec(text);
  if (!match) return undefined;
  const [, sign, intPart = "", fracPart = "", exp = "0"] = match;
  const all = intPart + fracPart;
  const firstNonZero = all.search(/[1-9]/);
  if (firstNonZero === -1) return { negative: false, digits: "", exponent: 0 };
  const digits = all.slice(firstNonZero).replace(/0+$/, "");
  return { negative: sign === "-", digits, exponent: intPart.length - firstNonZero + Number(exp) };
}

export function numberRoundTrips(raw: string): boolean {
  const value = Number(raw);
  if (!Number.isFinite(value)) return false;
  const written = toDecimal(raw);
  const read = toDecimal(String(value)); // ECMAScript shortest round-trip form, e.g. "1e+21"
  if (!written || !read) return false;
  if (written.digits === "") return read.digits === ""; // -0 and 0.000 are zero
  return written.negative === read.negative && written.digits === read.digits && written.exponent === read.exponent;
}
