/**
 * A small, seeded "transactions" data set with the awkward parts real data has: nulls everywhere,
 * names with quotes, semicolons, comment markers and Cyrillic, timestamps with and without fractions,
 * refunds (negative amounts), and a month-end / year-end spread of dates.
 */
export const TX_COLUMNS = [
  { name: 'id', pgType: 'bigint' },
  { name: 'branch', pgType: 'text' },
  { name: 'channel', pgType: 'text' },
  { name: 'amount', pgType: 'numeric(14,2)' },
  { name: 'booked_at', pgType: 'timestamp with time zone' },
  { name: 'value_date', pgType: 'date' },
  { name: 'is_reversal', pgType: 'boolean' },
  { name: 'category', pgType: 'text' },
  { name: "odd \"name\"; --'", pgType: 'integer' },
] as const;

export const BRANCHES = ['Москва', 'Санкт-Петербург', "O'Brien & Sons", 'x"; DROP TABLE extracts; --', 'Zürich /* c */', 'Kazan'];
const CHANNELS = ['atm', 'card', 'branch', 'online'];
const CATEGORIES = ['groceries', 'fuel', 'Travel', 'TRAVEL agency', 'rent', '100% refund_', null];

export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Rows in cache form (what a sync stores): numbers, ISO text timestamps, `YYYY-MM-DD` dates, 0/1 booleans. */
export function txRows(count: number, seed = 7): unknown[][] {
  const rnd = mulberry32(seed);
  const pick = <T>(list: readonly T[]) => list[Math.floor(rnd() * list.length)]!;
  const start = Date.UTC(2022, 10, 15);
  const rows: unknown[][] = [];
  for (let i = 1; i <= count; i++) {
    const ms = start + Math.floor(rnd() * 800) * 86_400_000 + Math.floor(rnd() * 86_400) * 1000 + (rnd() < 0.3 ? Math.floor(rnd() * 1000) : 0);
    const iso = new Date(ms).toISOString();
    const booked = rnd() < 0.03 ? null : iso.endsWith('.000Z') ? `${iso.slice(0, 19)}Z` : `${iso.slice(0, 23)}456Z`;
    const amount = rnd() < 0.05 ? null : Math.round((rnd() < 0.1 ? -1 : 1) * Math.exp(rnd() * 9) * 100) / 100;
    rows.push([
      i,
      rnd() < 0.02 ? null : pick(BRANCHES),
      pick(CHANNELS),
      amount,
      booked,
      booked ? booked.slice(0, 10) : null,
      rnd() < 0.05 ? 1 : 0,
      pick(CATEGORIES),
      rnd() < 0.1 ? null : Math.floor(rnd() * 50) - 10,
    ]);
  }
  return rows;
}
