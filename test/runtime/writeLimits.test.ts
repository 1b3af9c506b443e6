import test from 'ava';
import { convertValue } from '../../handler/engines/mysql/values';
import { readJson } from '../../handler/values/json';
import { mysqlColumn } from '../support/mysqlColumns';

const convert = (columnType: string, json: string) => convertValue(mysqlColumn(columnType), readJson(json));

test('decimals must fit the column exactly: no rounding, no integer overflow; trailing zeros are fine', (t) => {
  const fits: [string, string, string][] = [
    ['decimal(6,2)', '1.50000', '1.5'],
    ['decimal(6,2)', '-9999.99', '-9999.99'],
    ['decimal(6,2)', '"0009999.990"', '9999.99'],
    ['decimal(2,2)', '0.99', '0.99'],
    ['decimal(2,2)', '-0.5', '-0.5'],
    ['decimal(3,0)', '999', '999'],
    ['decimal(3,0)', '9.9e1', '99'],
    ['decimal(65,30)', '1e-30', '0.000000000000000000000000000001'],
    ['decimal(10,2) unsigned', '"12.3"', '12.3'],
    ['decimal(6,2)', '-0.000', '0'],
  ];
  for (const [type, json, param] of fits) t.deepEqual(convert(type, json), { ok: true, param }, `${type} ${json}`);
  const refused: [string, string, RegExp][] = [
    ['decimal(6,2)', '1.005', /allows 2 digits after the decimal point; the value has more/],
    ['decimal(65,30)', '1e-31', /allows 30 digits after the decimal point/],
    ['decimal(3,0)', '0.5', /allows 0 digits after the decimal point/],
    ['decimal(6,2)', '10000', /allows 4 digits before the decimal point; the value is out of range/],
    ['decimal(2,2)', '1', /allows 0 digits before the decimal point/],
    ['decimal(3,1)', '"1e2"', /allows 2 digits before the decimal point/],
  ];
  for (const [type, json, message] of refused) {
    const result = convert(type, json);
    t.false(result.ok, `${type} ${json}`);
    if (!result.ok) t.regex(result.message, message);
  }
});

test('every member of a SET value must be one of the column members', (t) => {
  const type = "set('a','b','Long one')";
  t.deepEqual(convert(type, '"a,b"'), { ok: true, param: 'a,b' });
  // Members are sent as written: the server matches them under the column's own collation (issue 17 item 10).
  t.deepEqual(convert(type, '["LONG ONE","a"]'), { ok: true, param: 'LONG ONE,a' });
  t.deepEqual(convert(type, '""'), { ok: true, param: '' });
  for (const json of ['"a,x"', '"a,"', '["a","c"]', '"ab"']) {
    const result = convert(type, json);
    t.false(result.ok, json);
    if (!result.ok)
      t.regex(result.message, /^field "f" \(set\('a','b','Long one'\)\) expects members of 'a', 'b', 'Long one'/);
  }
});
