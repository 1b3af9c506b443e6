/**
 * Which view definitions name a single base table's columns plainly (viewKeys.ts). The MariaDB path runs for real
 * in test/engines/mysql/viewIds.test.ts; these are the canonical VIEW_DEFINITION texts both servers store.
 */
import test from 'ava';
import { parseSingleTableView } from '../../../handler/engines/mysql/viewKeys';

test('plain references over one table, with or without a WHERE, are read', (t) => {
  const view = parseSingleTableView(
    'select `db`.`t`.`id` AS `ticket_id`,`db`.`t`.`ti``tle` AS `title` from `db`.`t` where `db`.`t`.`id` > 3',
  );
  t.deepEqual(view && { ...view, columns: [...view.columns], repeated: [...view.repeated] }, {
    schema: 'db',
    table: 't',
    columns: [
      ['ticket_id', 'id'],
      ['title', 'ti`tle'],
    ],
    repeated: [],
  });
  t.deepEqual(
    [...parseSingleTableView('select `db`.`t`.`id` AS `a`,`db`.`t`.`id` AS `b` from `db`.`t`')!.repeated],
    ['id'],
  );
});

test('expressions, joins, aliases, derived tables, DISTINCT and UNION are refused', (t) => {
  for (const definition of [
    'select `db`.`t`.`id` + 0 AS `id`,`db`.`t`.`title` AS `title` from `db`.`t`',
    'select `o`.`id` AS `id` from (`db`.`orders` `o` join `db`.`customers` `c` on(`c`.`id` = `o`.`customer`))',
    'select `db`.`a`.`id` AS `id` from `db`.`a` join `db`.`b`',
    'select `db`.`t`.`id` AS `id` from `db`.`t` `x`',
    'select distinct `db`.`t`.`id` AS `id` from `db`.`t`',
    'select `db`.`t`.`id` AS `id` from `db`.`t` union select `db`.`u`.`id` AS `id` from `db`.`u`',
    'select `db`.`t`.`id` AS `id` from `db`.`t` group by `db`.`t`.`id`',
    'select `db`.`u`.`id` AS `id` from `db`.`t`',
    'select `t`.`id` AS `id` from (select `db`.`t`.`id` AS `id` from `db`.`t`) `t`',
    '',
  ]) {
    t.is(parseSingleTableView(definition), null, definition);
  }
});
