/**
 * @module Reading a Python literal (what `ast.literal_eval` accepts: dicts, lists, tuples, sets,
 * strings, numbers, True/False/None) out of Python source, without running it. The legacy catalog
 * is two such dicts in the Streamlit tool's source (`PARAM_OPTIONS = {...}`).
 */

export class PythonLiteralError extends Error {
  override name = "PythonLiteralError";
}

/** The value assigned to `name` at the top level of `source` (`NAME = {...}` or `NAME: dict = {...}`). */
export function pythonAssignment(source: string, name: string): unknown {
  const at = new RegExp(`^${name}\\s*(?::[^=\\n]+)?=\\s*`, "m").exec(source);
  if (!at) throw new PythonLiteralError(`no top-level assignment to ${name}`);
  const reader = new Reader(source, at.index + at[0].length);
  const value = reader.value();
  return value;
}

class Reader {
  constructor(
    private readonly text: string,
    private at: number,
  ) {}

  private fail(what: string): never {
    const line = this.text.slice(0, this.at).split("\n").length;
    throw new PythonLiteralError(`line ${line}: ${what} (only literals are read, nothing is run)`);
  }

  /** Skips spaces, newlines inside brackets, comments and line continuations. */
  private skip(): void {
    for (;;) {
      const c = this.text[this.at];
      if (c === " " || c === "\t" || c === "\n" || c === "\r") this.at++;
      else if (c === "\\" && this.text[this.at + 1] === "\n") this.at += 2;
      else if (c === "#") while (this.at < this.text.length && this.text[this.at] !== "\n") this.at++;
      else return;
    }
  }

  private eat(token: string): boolean {
    this.skip();
    if (this.text.startsWith(token, this.at)) {
      this.at += token.length;
      return true;
    }
    return false;
  }

  value(): unknown {
    this.skip();
    const c = this.text[this.at];
    if (c === "{") return this.dictOrSet();
    if (c === "[") return this.sequence("[", "]");
    if (c === "(") return this.sequence("(", ")");
    if (c === "-" || c === "+") {
      this.at++;
      const n = this.value();
      if (typeof n !== "number") this.fail("a sign before something that is not a number");
      return c === "-" ? -n : n;
    }
    const word = /^(True|False|None)\b/.exec(this.text.slice(this.at, this.at + 6));
    if (word) {
      this.at += (word[1] as string).length;
      return word[1] === "True" ? true : word[1] === "False" ? false : null;
    }
    if (c !== undefined && /[0-9.]/.test(c)) return this.number();
    if (this.startsString()) return this.strings();
    return this.fail(`not a literal: "${this.text.slice(this.at, this.at + 30).split("\n")[0]}"`);
  }

  private dictOrSet(): unknown {
    this.at++;
    if (this.eat("}")) return {};
    const first = this.value();
    if (!this.eat(":")) {
      const items = [first]; // a set: read as a list
      for (;;) {
        if (this.eat("}")) return items;
        if (!this.eat(",")) this.fail("expected , or } in a set");
        if (this.eat("}")) return items;
        items.push(this.value());
      }
    }
    const out: Record<string, unknown> = {};
    let key = first;
    for (;;) {
      if (typeof key !== "string" && typeof key !== "number") this.fail("a dict key that is not a string or number");
      out[String(key)] = this.value();
      if (this.eat("}")) return out;
      if (!this.eat(",")) this.fail("expected , or } in a dict");
      if (this.eat("}")) return out;
      key = this.value();
      if (!this.eat(":")) this.fail("expected : after a dict key");
    }
  }

  private sequence(open: string, close: string): unknown[] {
    this.at += open.length;
    const items: unknown[] = [];
    if (this.eat(close)) return items;
    for (;;) {
      items.push(this.value());
      if (this.eat(close)) return items;
      if (!this.eat(",")) this.fail(`expected , or ${close}`);
      if (this.eat(close)) return items;
    }
  }

  private number(): number {
    const m = /^(\d[\d_]*\.?[\d_]*|\.\d[\d_]*)([eE][+-]?\d+)?/.exec(this.text.slice(this.at));
    if (!m) this.fail("not a number");
    this.at += m[0].length;
    return Number(m[0].replaceAll("_", ""));
  }

  private startsString(): boolean {
    return /^[rRuU]?['"]/.test(this.text.slice(this.at, this.at + 2));
  }

  /** One string, or adjacent ones ("a" "b"), as Python joins them. */
  private strings(): string {
    let out = this.string();
    for (;;) {
      this.skip();
      if (!this.startsString()) return out;
      out += this.string();
    }
  }

  private string(): string {
    let raw = false;
    if (/[rRuU]/.test(this.text[this.at] as string)) {
      raw = /[rR]/.test(this.text[this.at] as string);
      this.at++;
    }
    const quote = this.text.startsWith(this.text[this.at]?.repeat(3) ?? "", this.at)
      ? (this.text[this.at] as string).repeat(3)
      : (this.text[this.at] as string);
    this.at += quote.length;
    let out = "";
    for (;;) {
      if (this.at >= this.text.length) this.fail("a string that does not end");
      if (this.text.startsWith(quote, this.at)) {
        this.at += quote.length;
        return out;
      }
      const c = this.text[this.at] as string;
      if (c === "\n" && quote.length === 1) this.fail("a string that does not end on its line");
      if (c === "\\" && !raw) {
        const next = this.text[this.at + 1] as string;
        const escapes: Record<string, string> = { n: "\n", t: "\t", r: "\r", "\\": "\\", "'": "'", '"': '"', "\n": "" };
        if (next in escapes) out += escapes[next];
        else if (next === "u") {
          out += String.fromCharCode(Number.parseInt(this.text.slice(this.at + 2, this.at + 6), 16));
          this.at += 4;
        } else out += `\\${next}`;
        this.at += 2;
        continue;
      }
      out += c;
      this.at++;
    }
  }
}
