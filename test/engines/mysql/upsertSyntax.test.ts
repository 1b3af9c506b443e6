/**
 * How the MySQL engine names an UPSERT's incoming values: a row alias on MySQL ≥ 8.0.19 and Aurora MySQL 3 (VALUES()
 * is deprecated from 8.0.20, warning 1287 on every upsert), VALUES() on MariaDB and older MySQL. No MySQL 8 server
 * runs here: the decision is tested on the version strings those servers report; the MariaDB path runs for real in
 * test/runtime/writeData.test.ts.
 */
import test from 'ava';
import type { ColumnMeta, InsertRequest, TableMeta } from '../../../handler/engines/engine';
import { insertSql, supportsRowAlias } from '../../../handler/engines/mysql/writes';

test('the row alias is chosen from the version the server reports', (t) => {
  const cases: [string, boolean][] = [
    ['10.11.6-MariaDB-1:10.11.6+maria~ubu2204', false],
    ['10.6.16-MariaDB-log', false],
    ['11.4.2-MariaDB', false],
    ['5.7.44-log', false],
    ['8.0.18', false],
    ['8.0.19', true],
    ['8.0.36', true],
    ['8.0.28-google', true],
    ['8.4.2', true],
    ['9.1.0', true],
    ['8.0.mysql_aurora.3.05.2', true],
    ['5.7.mysql_aurora.2.11.2', false],
    ['', false],
  ];
  for (const [version, expected] of cases) t.is(supportsRowAlias(version), expected, version);
});

const column = (name: string) => ({ name, declaredType: 'int', dataType: 'Integer' }) as unknown as ColumnMeta;

test('an upsert names the new row by alias or by VALUES()', (t) => {
  const id = column('id');
  const note = column('note');
  const request: InsertRequest = {
    table: { name: 'items' } as unknown as TableMeta,
    columns: [id, note],
    params: [1, 2],
    rows: 1,
    upsertKey: [id],
    generated: null,
  };
  t.is(
    insertSql(request, true),
    'INSERT INTO `items` (`id`, `note`) VALUES (?, ?) AS appflow_new ON DUPLICATE KEY UPDATE ' +
      '`id` = IF(`id` <=> appflow_new.`id`, `id`, NULL), `note` = appflow_new.`note`',
  );
  t.is(
    insertSql(request, false),
    'INSERT INTO `items` (`id`, `note`) VALUES (?, ?) ON DUPLICATE KEY UPDATE ' +
      '`id` = IF(`id` <=> VALUES(`id`), `id`, NULL), `note` = VALUES(`note`)',
  );
  const named = { ...request, table: { name: 'APPFLOW_NEW' } as unknown as TableMeta };
  t.regex(insertSql(named, true), / AS appflow_new_row ON DUPLICATE KEY UPDATE /);
});
