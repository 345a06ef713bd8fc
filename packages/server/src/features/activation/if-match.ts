/**
 * @module The version a caller expects to be active: `If-Match: "v3-1a2b3c4d"` (or `none`), or
 * the body's expected_active. Both given and different is a contradiction, refused.
 */
import { InvalidInputError } from "../../http/errors.js";

export function expectedActiveFrom(
  header: string | undefined,
  body: string | null | undefined,
): string | null | undefined {
  let fromHeader: string | null | undefined;
  if (header !== undefined) {
    const value = header
      .trim()
      .replace(/^W\//, "")
      .replace(/^"(.*)"$/, "$1");
    if (value === "*" || value === "") {
      throw InvalidInputError.field(
        "header",
        "if-match",
        'name the version expected active, e.g. "v3-1a2b3c4d", or none',
      );
    }
    fromHeader = value === "none" ? null : value;
  }
  if (fromHeader !== undefined && body !== undefined && fromHeader !== body) {
    throw InvalidInputError.field(
      "header",
      "if-match",
      `says ${fromHeader ?? "none"} but expected_active says ${body ?? "none"}`,
    );
  }
  return fromHeader !== undefined ? fromHeader : body;
}
