import { stringify } from 'csv-stringify/sync';
import type { ExportFormat } from '../../../server/index.ts';

/**
 * Turns records (values in the order of `items`) into the export's text, a
 * batch at a time: NDJSON, one JSON object a line; or RFC 4180 CSV (quoting
 * by csv-stringify, `\n` between records, booleans as true/false, null as an
 * empty field) under a header line of the item names. Values are written as
 * they are, never altered for spreadsheets: the file is for the consumer's
 * systems, and its checksum is of exactly what was served.
 */
export class ExportEncoder {
  constructor(
    private readonly format: ExportFormat,
    private readonly items: readonly string[],
  ) {}

  get contentType(): string {
    return this.format === 'csv' ? 'text/csv; charset=utf-8' : 'application/x-ndjson';
  }

  /** What comes before the first record: the CSV header, or nothing. */
  header(): string {
    return this.format === 'csv' ? this.csv([[...this.items]]) : '';
  }

  encode(records: readonly unknown[][]): string {
    if (records.length === 0) return '';
    if (this.format === 'csv') return this.csv(records);
    let text = '';
    for (const values of records) {
      const record: Record<string, unknown> = {};
      this.items.forEach((name, i) => {
        record[name] = values[i];
      });
      text += `${JSON.stringify(record)}\n`;
    }
    return text;
  }

  private csv(records: readonly unknown[][]): string {
    return stringify(records as unknown[][], {
      record_delimiter: 'unix',
      cast: { boolean: (value) => String(value) },
    });
  }
}
