/**
 * README (Security): forged tokens are refused. A nextToken carries an HMAC of its body; a token whose signature
 * was changed (same length, canonical spelling) or whose body was changed under the original signature is refused
 * with InvalidArgument ("integrity check failed"), through the built bundle. The genuine token still reads on.
 */
import test from 'ava';
import { type ConnectorStage, startConnectorStage } from '../support/environment';
import { queryDataEvent } from '../support/events';
import { invoke } from '../support/lambda';

interface Page {
  isSuccess: boolean;
  errorDetails: { errorCode: string; errorMessage: string } | null;
  records: string[] | null;
  nextToken: string | null;
}

let stage: ConnectorStage;

test.before(async () => {
  stage = await startConnectorStage({ seed: false });
  await stage.database.query(
    'CREATE TABLE letters (id INT PRIMARY KEY, letter CHAR(1) NOT NULL); ' +
      "INSERT INTO letters VALUES (1, 'a'), (2, 'b'), (3, 'c'), (4, 'd'), (5, 'e')",
  );
});

test.after.always(async () => {
  await stage?.teardown();
});

const page = (nextToken: string | null) =>
  invoke<Page>(stage.bundle, queryDataEvent(stage.target, 'letters', { maxResults: 2, nextToken }));

/** Another base64url character in the same place (every bit of a signature's first character is used). */
const otherCharacter = (character: string) => (character === 'A' ? 'B' : 'A');

test('a token with a changed signature, or a changed body under the original signature, is refused', async (t) => {
  const first = await page(null);
  t.is(first.records?.length, 2);
  const token = first.nextToken ?? '';
  const [body, signature] = token.split('.') as [string, string];
  t.truthy(body && signature, 'a signed token: body.signature');

  const resigned = `${body}.${otherCharacter(signature[0]!)}${signature.slice(1)}`;
  const refused = await page(resigned);
  t.false(refused.isSuccess);
  t.is(refused.errorDetails?.errorCode, 'InvalidArgument');
  t.regex(refused.errorDetails?.errorMessage ?? '', /integrity check failed/);

  const payload = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as Record<string, unknown>;
  const changedBody = Buffer.from(JSON.stringify({ ...payload, forged: true }), 'utf8').toString('base64url');
  const reused = await page(`${changedBody}.${signature}`);
  t.is(reused.errorDetails?.errorCode, 'InvalidArgument');
  t.regex(reused.errorDetails?.errorMessage ?? '', /integrity check failed/);

  const genuine = await page(token);
  t.deepEqual(
    genuine.records?.map((record) => (JSON.parse(record) as { letter: string }).letter),
    ['c', 'd'],
  );
});

/**
 * The signature's last base64url character carries 2 bits of the MAC and 4 spare bits. A spelling that differs only in
 * the spare bits decodes to the same MAC; it is still refused, so each position has exactly one token (the schema
 * fuzzer's token oracle once counted such a spelling as the issued token, MySQL seed 138536).
 */
test('a non-canonical spelling of a genuine signature is refused; only the issued spelling reads on', async (t) => {
  const first = await page(null);
  const token = first.nextToken ?? '';
  const [body, signature] = token.split('.') as [string, string];
  const last = signature.at(-1)!;
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
  const spareBitsSet = alphabet[alphabet.indexOf(last) | 0b001111]!;
  t.not(spareBitsSet, last, 'an issued signature is canonical: its spare bits are zero');
  const respelled = `${body}.${signature.slice(0, -1)}${spareBitsSet}`;
  t.true(Buffer.from(respelled.split('.')[1]!, 'base64url').equals(Buffer.from(signature, 'base64url')));

  const refused = await page(respelled);
  t.is(refused.errorDetails?.errorCode, 'InvalidArgument');
  t.regex(refused.errorDetails?.errorMessage ?? '', /not in the expected format/);
  t.deepEqual((await page(token)).records?.length, 2);
});
