import { parseIsoInstant } from '../../../shared/analysis/dates.js';
import type { Cell, ValueType } from '../../../shared/analysis/spec.js';

/**
 * Converts a value as a database driver hands it back into the analysis output convention (see
 * shared/analysis/plan.ts): numbers, booleans, `YYYY-MM-DD` dates and `toISOString()` timestamps.
 */
export function toCell(value: unknown, type: ValueType): Cell {
  if (value === null || value === undefined) return null;
  switch (type) {
    case 'number':
      return typeof value === 'number' ? value : Number(value as string | bigint);
    case 'boolean':
      return typeof value === 'boolean' ? value : Number(value) !== 0;
    case 'date':
      if (value instanceof Date) return value.toISOString().slice(0, 10);
      return String(value).slice(0, 10);
    case 'timestamp': {
      if (value instanceof Date) return value.toISOString();
      let text = String(value);
      // MIN/MAX of cached timestamps come back as their sort key: `YYYY-MM-DDTHH:MM:SS` + 6 fraction digits.
      if (text.length === 25 && text[10] === 'T' && !text.includes('.')) text = `${text.slice(0, 19)}.${text.slice(19)}Z`;
      const parsed = parseIsoInstant(text);
      return parsed ? new Date(parsed.ms).toISOString() : text;
    }
    default:
      return typeof value === 'string' ? value : String(value);
  }
}
