// The one CSV writer: every CSV Pano hands out (reports) goes through it.
// A spreadsheet runs a cell that starts with =, +, -, @, tab or carriage return as a formula
// (HYPERLINK can send the sheet's data away), and names are typed by agents and customers:
// such a text cell gets a leading quote, so it is shown as the text it is. Numbers stay numbers.
const FORMULA_START = /^[=+\-@\t\r]/;

export function csvCell(v: unknown): string {
  if (v === null || v === undefined) return "";
  const s = typeof v === "number" ? String(v) : FORMULA_START.test(String(v)) ? `'${v}` : String(v);
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export const csvRow = (cells: unknown[]): string => cells.map(csvCell).join(",");

export const csvText = (rows: unknown[][]): string => rows.map(csvRow).join("\n") + "\n";

/**
 * A CSV download: UTF-8 with a byte-order mark, because Excel opens a BOM-less CSV in the
 * machine's legacy code page and turns "Nguyễn" into mojibake; the mark makes it read UTF-8.
 */
export const CSV_BOM = "\uFEFF";
export const csvDownload = (rows: unknown[][]): string => CSV_BOM + csvText(rows);
