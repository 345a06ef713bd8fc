/**
 * @module Page layout of the run report: headings kept with what follows them, label/value rows
 * measured before they are drawn (a row never splits across pages), and a banner on every page.
 */

export const MARGIN = 50;
const LABEL_WIDTH = 150;
const EXTRA_WIDTH = 105;
const GAP = 5;
const BODY_SIZE = 9.5;
const MONO_SIZE = 8;
const HEADING_SIZE = 13;

export interface ReportLayout {
  /** The width between the side margins. */
  width: number;
  /** A section heading, moved to a new page with it unless `keepWith` points of content fit under it. */
  heading(title: string, keepWith: number): void;
  /** `extra`: a narrow third column (provenance, a metric's key); `mono`: hashes and ids in a fixed-width face. */
  row(label: string, value: string, extra?: string, mono?: boolean): void;
  rowHeight(label: string, value: string, extra?: string, mono?: boolean): number;
  /** A line of body text. */
  paragraph(text: string): void;
  paragraphHeight(text: string): number;
  /** A new page unless `height` points still fit on this one. */
  ensureRoom(height: number): void;
  /** The points left on this page under what is laid out. */
  roomLeft(): number;
  headingHeight(title: string): number;
}

export function reportLayout(doc: PDFKit.PDFDocument): ReportLayout {
  const width = doc.page.width - 2 * MARGIN;
  const bottom = () => doc.page.height - doc.page.margins.bottom;
  const valueWidth = (extra?: string) =>
    extra ? width - LABEL_WIDTH - GAP - EXTRA_WIDTH - GAP : width - LABEL_WIDTH - GAP;

  const ensureRoom = (height: number) => {
    if (doc.y + height > bottom()) doc.addPage();
  };
  const headingHeight = (title: string) =>
    10 + doc.font("Helvetica-Bold").fontSize(HEADING_SIZE).heightOfString(title, { width }) + 4;
  const rowHeight = (label: string, value: string, extra?: string, mono = false) => {
    const heights = [
      doc.font("Helvetica-Bold").fontSize(BODY_SIZE).heightOfString(label, { width: LABEL_WIDTH }),
      doc
        .font(mono ? "Courier" : "Helvetica")
        .fontSize(mono ? MONO_SIZE : BODY_SIZE)
        .heightOfString(value, { width: valueWidth(extra) }),
    ];
    if (extra) heights.push(doc.font("Helvetica").fontSize(BODY_SIZE).heightOfString(extra, { width: EXTRA_WIDTH }));
    doc.font("Helvetica").fontSize(BODY_SIZE);
    return Math.max(...heights) + 2;
  };
  const paragraphHeight = (text: string) => doc.font("Helvetica").fontSize(BODY_SIZE).heightOfString(text, { width });

  return {
    width,
    ensureRoom,
    roomLeft: () => bottom() - doc.y,
    headingHeight,
    rowHeight,
    paragraphHeight,
    heading(title, keepWith) {
      ensureRoom(headingHeight(title) + keepWith);
      doc.y += 10;
      doc.font("Helvetica-Bold").fontSize(HEADING_SIZE).fillColor("#111827").text(title, MARGIN, doc.y, { width });
      doc.y += 4;
      doc.font("Helvetica").fontSize(BODY_SIZE);
    },
    row(label, value, extra, mono = false) {
      ensureRoom(rowHeight(label, value, extra, mono));
      const y = doc.y;
      let end = y;
      doc
        .font("Helvetica-Bold")
        .fontSize(BODY_SIZE)
        .fillColor("#374151")
        .text(label, MARGIN, y, { width: LABEL_WIDTH });
      end = Math.max(end, doc.y);
      doc
        .font(mono ? "Courier" : "Helvetica")
        .fontSize(mono ? MONO_SIZE : BODY_SIZE)
        .fillColor("#111827")
        .text(value, MARGIN + LABEL_WIDTH + GAP, y, { width: valueWidth(extra) });
      end = Math.max(end, doc.y);
      if (extra) {
        doc
          .font("Helvetica")
          .fontSize(BODY_SIZE)
          .fillColor("#4b5563")
          .text(extra, MARGIN + width - EXTRA_WIDTH, y, { width: EXTRA_WIDTH });
        end = Math.max(end, doc.y);
      }
      doc.font("Helvetica").fontSize(BODY_SIZE);
      doc.x = MARGIN;
      doc.y = end + 2;
    },
    paragraph(text) {
      ensureRoom(paragraphHeight(text));
      doc.font("Helvetica").fontSize(BODY_SIZE).fillColor("#111827").text(text, MARGIN, doc.y, { width });
    },
  };
}

/**
 * Draws a bold title and one line of text in a tinted box in the top margin of every page
 * laid out so far; the document must buffer its pages (`bufferPages: true`).
 */
export function bannerOnEveryPage(doc: PDFKit.PDFDocument, title: string, text: string): void {
  const range = doc.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i++) {
    doc.switchToPage(i);
    const width = doc.page.width - 2 * MARGIN;
    const top = 10;
    doc.save();
    doc.rect(MARGIN, top, width, 34).fillAndStroke("#fef3c7", "#b45309");
    doc.restore();
    doc
      .font("Helvetica-Bold")
      .fontSize(10)
      .fillColor("#78350f")
      .text(title, MARGIN + 8, top + 5, { width: width - 16, lineBreak: false });
    doc
      .font("Helvetica")
      .fontSize(8)
      .fillColor("#78350f")
      .text(text, MARGIN + 8, top + 19, { width: width - 16, lineBreak: false });
  }
}
