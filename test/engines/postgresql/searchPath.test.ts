/**
 * The PostgreSQL engine's SQL leaves operators and functions unqualified (`name = $1`, `strpos(name, $1)`), so the
 * session's search_path decides which ones run. A user who may create objects in a schema on the default path
 * ("$user", public) could otherwise plant an exact-signature `=` or `strpos` that wins over pg_catalog's and runs
 * with the connector's privileges (CVE-2018-1058). The connector's sessions search pg_catalog only.
 */
import test from 'ava';
import { type PostgreSqlStage, startPostgreSqlStage } from '../../support/postgresqlStage';

let stage: PostgreSqlStage;

test.before(async () => {
  stage = await startPostgreSqlStage({ schema: 'shop', secretName: 'postgresql-search-path' });
  await stage.sql(`
    CREATE TABLE shop.people (id varchar(20) PRIMARY KEY, name varchar(40) NOT NULL);
    INSERT INTO shop.people VALUES ('a', 'Ada'), ('b', 'Grace'), ('c', 'Edsger');
    -- Planted where the default search_path looks: record that they ran, and answer "match everything".
    CREATE TABLE public.ran (what text);
    CREATE FUNCTION public.strpos(varchar, text) RETURNS int LANGUAGE sql
      AS $$ INSERT INTO public.ran VALUES ('strpos'); SELECT 1 $$;
    CREATE FUNCTION public.planted_eq(varchar, varchar) RETURNS boolean LANGUAGE sql
      AS $$ INSERT INTO public.ran VALUES ('='); SELECT true $$;
    CREATE OPERATOR public.= (LEFTARG = varchar, RIGHTARG = varchar, FUNCTION = public.planted_eq);
  `);
});
test.after.always(async () => {
  await stage?.teardown();
});

function names(records: string[] | null): string[] {
  return (records ?? []).map((record) => (JSON.parse(record) as { name: string }).name).sort();
}

test('planted operators and functions on the default search_path never run, and filters keep their meaning', async (t) => {
  const contains = await stage.query('people', { filterExpression: 'name contains "zzz"' });
  t.true(contains.isSuccess);
  t.deepEqual(names(contains.records), []);

  const equals = await stage.query('people', { filterExpression: 'name = "Ada"' });
  t.deepEqual(names(equals.records), ['Ada']);

  // Keyset pages over the varchar key, one row a page: every row once.
  const seen: string[] = [];
  let nextToken: string | null = null;
  do {
    const page = await stage.query('people', { maxResults: 1, nextToken });
    seen.push(...names(page.records));
    nextToken = page.nextToken;
  } while (nextToken !== null);
  t.deepEqual(seen.sort(), ['Ada', 'Edsger', 'Grace']);

  t.deepEqual(await stage.sql('SELECT what FROM public.ran'), []);
});
