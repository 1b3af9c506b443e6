/**
 * The demo schema: customers and orders, small but realistic — DECIMAL money, DATETIME(3) updated_at columns with an
 * index (the incremental field), a JSON column, BIGINT UNSIGNED values beyond 2^53, unicode names, notes with
 * commas, quotes and line breaks — plus an empty orders_copy for the write-back. The rows come from a seeded
 * generator, so every run (and every test) sees the same data.
 */

export const DEMO_SCHEMA = [
  `CREATE TABLE customers (
     id INT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
     full_name VARCHAR(120) NOT NULL,
     email VARCHAR(160) NOT NULL,
     country CHAR(2) NOT NULL,
     loyalty_points BIGINT UNSIGNED NOT NULL DEFAULT 0,
     created_at DATETIME(3) NOT NULL,
     updated_at DATETIME(3) NOT NULL,
     UNIQUE KEY uq_customers_email (email),
     KEY idx_customers_updated_at (updated_at)
   ) COMMENT 'Demo customers'`,
  `CREATE TABLE orders (
     id BIGINT UNSIGNED NOT NULL PRIMARY KEY COMMENT 'above 2^53: every digit must survive',
     customer_id INT UNSIGNED NOT NULL,
     status ENUM('pending','paid','shipped','cancelled') NOT NULL,
     total DECIMAL(12,2) NOT NULL,
     currency CHAR(3) NOT NULL,
     items JSON NOT NULL,
     note VARCHAR(200) NULL,
     ordered_at DATETIME(3) NOT NULL,
     updated_at DATETIME(3) NOT NULL,
     KEY idx_orders_updated_at (updated_at),
     CONSTRAINT fk_orders_customer FOREIGN KEY (customer_id) REFERENCES customers (id)
   ) COMMENT 'Demo orders'`,
  'CREATE TABLE orders_copy LIKE orders',
];

export const DEMO_CUSTOMER_COUNT = 40;
export const DEMO_ORDER_COUNT = 360;
/** 2^53 + 1: the first integer a JavaScript number cannot hold. */
export const FIRST_ORDER_ID = 9_007_199_254_740_993n;

const NAMES = [
  'Zoë Ångström',
  'José Núñez',
  '李雷',
  "Siobhán O'Brien, Jr.",
  'Сергей Иванов',
  'Ngọc Trần',
  'Søren Kierkegaard',
  'Amélie Poulain',
  'Łukasz Wójcik',
  'Ayşe Yılmaz',
  'Mbali Dlamini',
  'Παναγιώτης Παπαδόπουλος',
  'Nguyễn Văn An',
  'Björk Guðmundsdóttir',
  'Ana "Nana" Silva',
  'أحمد منصور',
  '山田 太郎',
  'François Dœuf',
  'Grace Hopper',
  'Ada Lovelace',
];
const COUNTRIES = [
  'SE',
  'ES',
  'CN',
  'IE',
  'UA',
  'VN',
  'DK',
  'FR',
  'PL',
  'TR',
  'ZA',
  'GR',
  'VN',
  'IS',
  'BR',
  'EG',
  'JP',
  'FR',
  'US',
  'GB',
];
const STATUSES = ['pending', 'paid', 'paid', 'shipped', 'shipped', 'shipped', 'cancelled'] as const;
const CURRENCIES = ['EUR', 'USD', 'GBP', 'SEK'] as const;
const PRODUCTS = [
  { sku: 'TEA-01', name: 'Sencha tea', cents: 450 },
  { sku: 'MUG-02', name: 'Mug, blue', cents: 1299 },
  { sku: 'BK-003', name: 'Notebook "A5"', cents: 799 },
  { sku: 'PEN-04', name: 'Fountain pen', cents: 3450 },
  { sku: 'CHO-05', name: 'Chocolate 70%', cents: 325 },
] as const;
const NOTES = [
  null,
  null,
  null,
  'Leave at the door, please',
  'Gift wrap: "happy birthday"',
  'Call first\nthen ring twice',
  'Livraison après 18h',
];

/** Mulberry32: a small deterministic generator. */
function generator(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let value = state;
    value = Math.imul(value ^ (value >>> 15), value | 1);
    value ^= value + Math.imul(value ^ (value >>> 7), value | 61);
    return ((value ^ (value >>> 14)) >>> 0) / 4294967296;
  };
}

/** `YYYY-MM-DD HH:MM:SS.mmm` in UTC, as MariaDB takes it. */
function sqlTime(instant: Date): string {
  return instant.toISOString().replace('T', ' ').replace('Z', '');
}

const START = Date.UTC(2024, 0, 1);
const SPAN_MS = Date.UTC(2024, 5, 30) - START;
const DAY_MS = 24 * 3600 * 1000;

export interface DemoRows {
  readonly customers: unknown[][];
  readonly orders: unknown[][];
}

export function demoRows(seed = 20240301): DemoRows {
  const random = generator(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const customers: unknown[][] = [];
  for (let id = 1; id <= DEMO_CUSTOMER_COUNT; id++) {
    const index = (id - 1) % NAMES.length;
    const created = new Date(START + Math.floor(random() * SPAN_MS));
    // One customer holds the largest BIGINT UNSIGNED; the rest hold ordinary balances.
    const points = id === 7 ? '18446744073709551615' : String(Math.floor(random() * 50_000));
    customers.push([
      id,
      NAMES[index],
      `customer${id}@example.com`,
      COUNTRIES[index],
      points,
      sqlTime(created),
      sqlTime(new Date(created.getTime() + Math.floor(random() * 20 * DAY_MS))),
    ]);
  }
  const orders: unknown[][] = [];
  for (let index = 0; index < DEMO_ORDER_COUNT; index++) {
    const lines = Array.from({ length: 1 + Math.floor(random() * 3) }, () => {
      const product = pick(PRODUCTS);
      return {
        sku: product.sku,
        name: product.name,
        qty: 1 + Math.floor(random() * 4),
        unit_price: product.cents / 100,
      };
    });
    const cents = lines.reduce((sum, line) => sum + Math.round(line.unit_price * 100) * line.qty, 0);
    const ordered = new Date(START + Math.floor(random() * SPAN_MS));
    const updated = new Date(ordered.getTime() + Math.floor(random() * 5 * DAY_MS));
    orders.push([
      String(FIRST_ORDER_ID + BigInt(index)),
      1 + Math.floor(random() * DEMO_CUSTOMER_COUNT),
      pick(STATUSES),
      (cents / 100).toFixed(2),
      pick(CURRENCIES),
      JSON.stringify(lines),
      pick(NOTES),
      sqlTime(ordered),
      sqlTime(updated),
    ]);
  }
  return { customers, orders };
}

/** Creates the demo tables and rows through `query` (a connection of the database's own user). */
export async function seedDemo(query: (sql: string, params?: unknown[]) => Promise<unknown>): Promise<void> {
  for (const statement of DEMO_SCHEMA) await query(statement);
  const rows = demoRows();
  await query(
    'INSERT INTO customers (id, full_name, email, country, loyalty_points, created_at, updated_at) VALUES ?',
    [rows.customers],
  );
  await query(
    'INSERT INTO orders (id, customer_id, status, total, currency, items, note, ordered_at, updated_at) VALUES ?',
    [rows.orders],
  );
}
