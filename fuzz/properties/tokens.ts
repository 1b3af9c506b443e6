/**
 * Property 4, `tokens`: random, mutated, forged and replayed nextTokens (QueryData and ListEntities).
 */
import fc from 'fast-check';
import { createTokenKey, encodeToken, type KeyCell } from '../../handler/paging/token';
import { listEntitiesEvent, queryDataEvent } from '../../test/support/events';
import { edgeNumber, HOSTILE_STRINGS, jsonValue, weirdString } from '../arbitraries';
import { OutcomeStats, safeStringify, violated } from '../harness';
import { checkShape, exercise, type FuzzProperty, runProperty, tokenChain } from './shared';

interface TokenQuery {
  readonly label: string;
  readonly event: Record<string, unknown>;
  /** Tokens this connector issued for exactly this query (each valid for it). */
  readonly tokens: readonly string[];
  readonly kind: 'query' | 'list';
}

const BASE64URL = /^[A-Za-z0-9_-]*$/;

function flipBit(text: string, bit: number): string {
  const bytes = Buffer.from(text, 'base64url');
  if (bytes.length === 0) return text;
  const position = bit % (bytes.length * 8);
  bytes[position >> 3]! ^= 1 << (position & 7);
  return bytes.toString('base64url');
}

type TokenEdit =
  | { readonly kind: 'flipBody' | 'flipSignature'; readonly bit: number }
  | { readonly kind: 'truncate' | 'deleteChar'; readonly at: number }
  | { readonly kind: 'insert' | 'replaceChar'; readonly at: number; readonly text: string }
  | { readonly kind: 'append'; readonly text: string }
  | { readonly kind: 'swapCase' | 'pad' | 'dropSignature' | 'doubleDot' | 'reverse' };

const tokenEdit: fc.Arbitrary<TokenEdit> = fc.oneof(
  fc.record({ kind: fc.constantFrom('flipBody' as const, 'flipSignature' as const), bit: fc.nat() }),
  fc.record({ kind: fc.constantFrom('truncate' as const, 'deleteChar' as const), at: fc.nat() }),
  fc.record({
    kind: fc.constantFrom('insert' as const, 'replaceChar' as const),
    at: fc.nat(),
    text: fc.oneof(
      fc.constantFrom('A', '_', '-', '.', '=', '+', '/', ' ', '%', '\u0000', 'é'),
      fc.string({ maxLength: 3 }),
    ),
  }),
  fc.record({
    kind: fc.constant('append' as const),
    text: fc.oneof(fc.constantFrom('.', '=', 'A', '.x'), weirdString),
  }),
  fc.record({
    kind: fc.constantFrom(
      'swapCase' as const,
      'pad' as const,
      'dropSignature' as const,
      'doubleDot' as const,
      'reverse' as const,
    ),
  }),
);

function editToken(token: string, edit: TokenEdit): string {
  const dot = token.lastIndexOf('.');
  const body = dot >= 0 ? token.slice(0, dot) : token;
  const signature = dot >= 0 ? token.slice(dot + 1) : '';
  const at = (n: number) => (token.length === 0 ? 0 : n % (token.length + 1));
  switch (edit.kind) {
    case 'flipBody':
      return `${flipBit(body, edit.bit)}${dot >= 0 ? `.${signature}` : ''}`;
    case 'flipSignature':
      return dot >= 0 ? `${body}.${flipBit(signature, edit.bit)}` : flipBit(token, edit.bit);
    case 'truncate':
      return token.slice(0, at(edit.at));
    case 'deleteChar':
      return token.slice(0, at(edit.at)) + token.slice(at(edit.at) + 1);
    case 'insert':
      return token.slice(0, at(edit.at)) + edit.text + token.slice(at(edit.at));
    case 'replaceChar':
      return token.slice(0, at(edit.at)) + edit.text + token.slice(at(edit.at) + 1);
    case 'append':
      return token + edit.text;
    case 'swapCase':
      return [...token].map((c) => (c === c.toUpperCase() ? c.toLowerCase() : c.toUpperCase())).join('');
    case 'pad':
      return `${body}==${dot >= 0 ? `.${signature}` : ''}`;
    case 'dropSignature':
      return body;
    case 'doubleDot':
      return token.replace('.', '..');
    case 'reverse':
      return [...token].reverse().join('');
  }
}

const base64url = (text: string) => Buffer.from(text, 'utf8').toString('base64url');

const keyCell: fc.Arbitrary<KeyCell> = fc.oneof(
  fc.string({ maxLength: 12 }),
  fc.constantFrom(...HOSTILE_STRINGS.filter((s) => s.length < 100)),
  edgeNumber.filter((n) => Number.isFinite(n)),
  fc.base64String({ maxLength: 16 }).map((b64) => ({ b64 })),
  fc.string({ maxLength: 8 }).map((b64) => ({ b64 })),
);

/** Payloads signed with the connector's default key: they pass the MAC, so the decoder's own checks are fuzzed. */
const signedForgery = fc.record({
  mode: fc.constantFrom<'keyset' | 'offset'>('keyset', 'offset'),
  after: fc.option(fc.array(keyCell, { minLength: 0, maxLength: 3 })),
  until: fc.option(fc.array(keyCell, { minLength: 0, maxLength: 3 })),
  offset: fc.oneof(fc.nat(10), edgeNumber),
  remaining: fc.option(fc.oneof(fc.integer({ min: -2, max: 20 }), edgeNumber)),
});

type TokenCase =
  | { readonly kind: 'issued' | 'foreign' | 'edited' | 'random' | 'forged'; readonly token: string }
  | { readonly kind: 'signed'; readonly token: string };

export const tokens: FuzzProperty = {
  name: 'tokens',
  title: 'random, mutated, forged and replayed nextTokens: InvalidArgument unless the token is one issued',
  weight: 3,
  async run(context, options) {
    const stats = new OutcomeStats();
    const { target } = context.stage;
    const queryEvents: { label: string; event: Record<string, unknown> }[] = [
      { label: 'all_types keyset', event: queryDataEvent(target, 'all_types', { maxResults: 1 }) },
      { label: 'event_log offset', event: queryDataEvent(target, 'event_log', { maxResults: 1 }) },
      {
        label: 'order_lines filtered',
        event: queryDataEvent(target, 'order_lines', {
          maxResults: 1,
          selectedFieldNames: ['sku', 'line_no'],
          filterExpression: 'quantity >= 1 LIMIT 10',
        }),
      },
    ];
    const queries: TokenQuery[] = [];
    for (const { label, event } of queryEvents) {
      queries.push({ label, event, tokens: await tokenChain(context, event, 'nextToken'), kind: 'query' });
    }
    const listEvent = listEntitiesEvent(target, { maxResult: 2 });
    queries.push({
      label: 'list entities',
      event: listEvent,
      tokens: await tokenChain(context, listEvent, 'nextToken'),
      kind: 'list',
    });
    for (const query of queries) {
      if (query.tokens.length === 0) throw new Error(`fuzz setup: ${query.label} issued no token`);
    }
    const allTokens = queries.flatMap((query) => query.tokens);
    const key = createTokenKey();
    let equivalentSpellingsRefused = 0;

    const caseArb = fc.nat({ max: queries.length - 1 }).chain((index) => {
      const query = queries[index]!;
      const others = allTokens.filter((token) => !query.tokens.includes(token));
      const tokenArb: fc.Arbitrary<TokenCase> = fc.oneof(
        { weight: 1, arbitrary: fc.constantFrom(...query.tokens).map((token) => ({ kind: 'issued' as const, token })) },
        { weight: 1, arbitrary: fc.constantFrom(...others).map((token) => ({ kind: 'foreign' as const, token })) },
        {
          weight: 5,
          arbitrary: fc
            .tuple(fc.constantFrom(...allTokens), fc.array(tokenEdit, { minLength: 1, maxLength: 3 }))
            .map(([token, edits]) => ({ kind: 'edited' as const, token: edits.reduce(editToken, token) })),
        },
        {
          weight: 2,
          arbitrary: fc
            .oneof(
              fc.string({ maxLength: 40 }),
              weirdString,
              fc.stringMatching(/^[A-Za-z0-9_-]{1,80}\.[A-Za-z0-9_-]{22}$/),
              fc.base64String({ maxLength: 60 }),
            )
            .map((token) => ({ kind: 'random' as const, token })),
        },
        {
          weight: 2,
          // Unsigned payloads: random JSON, or a plausible one, with a real signature, a random one or none.
          arbitrary: fc
            .tuple(
              fc.oneof(
                jsonValue,
                signedForgery.map((p) => ({
                  v: 1,
                  q: 'x',
                  m: p.mode[0],
                  a: p.after,
                  u: p.until,
                  o: p.offset,
                  r: p.remaining,
                })),
              ),
              fc.oneof(
                fc.constantFrom(...allTokens.map((token) => token.slice(token.lastIndexOf('.') + 1))),
                fc.stringMatching(/^[A-Za-z0-9_-]{22}$/),
                fc.constant(''),
              ),
              fc.constantFrom('e1:', ''),
            )
            .map(([payload, signature, prefix]) => ({
              kind: 'forged' as const,
              token:
                query.kind === 'list'
                  ? base64url(prefix + safeStringify(payload)).slice(0, 400) + (signature ? `.${signature}` : '')
                  : `${base64url(safeStringify(payload))}${signature ? `.${signature}` : ''}`,
            })),
        },
        ...signedCases(query),
      );
      return fc.record({ query: fc.constant(query), token: tokenArb });
    });
    function signedCases(query: TokenQuery): fc.WeightedArbitrary<TokenCase>[] {
      if (query.kind !== 'query') return [];
      return [
        {
          weight: 2,
          arbitrary: fc.tuple(signedForgery, fc.constantFrom(...query.tokens)).map(([payload, issued]) => {
            // Keep the query fingerprint of an issued token so that the decoder's field checks are reached.
            const q = JSON.parse(Buffer.from(issued.split('.')[0]!, 'base64url').toString('utf8')).q as string;
            return {
              kind: 'signed' as const,
              token: encodeToken(key, { query: q, ...payload } as never),
            };
          }),
        },
      ];
    }

    const property = fc.asyncProperty(caseArb, async ({ query, token }) => {
      const event = { ...query.event, nextToken: token.token };
      const checked = (await exercise(context, event, stats))!;
      checkShape(event, checked);
      const { response } = checked;
      const listCursor = query.kind === 'list' ? listTokenCursor(token.token) : null;
      if (listCursor !== null && !context.stage.sql.isTableName(listCursor)) {
        // A well-formed ListEntities cursor naming something no table can be called (e.g. a character outside the
        // BMP, which MariaDB identifiers cannot hold, or an empty name on PostgreSQL): either a page after it, or
        // InvalidArgument.
        if (!response.isSuccess && response.errorDetails?.errorCode !== 'InvalidArgument') {
          violated(
            `a ListEntities cursor token for ${safeStringify(listCursor).slice(0, 80)} was answered with ` +
              `${response.errorDetails?.errorCode}, not a page or InvalidArgument: ${checked.text.slice(0, 600)}`,
          );
        }
        return;
      }
      const expectSuccess =
        token.token === '' || (query.kind === 'list' ? listCursor !== null : query.tokens.includes(token.token));
      if (query.kind === 'query' && !expectSuccess && isNonCanonicalSpelling(token.token, query.tokens)) {
        equivalentSpellingsRefused++;
      }
      if (token.kind === 'signed') {
        // A correctly signed payload may be a valid position; anything else must be refused as InvalidArgument.
        if (!response.isSuccess && response.errorDetails?.errorCode !== 'InvalidArgument') {
          violated(
            `a signed forged token was answered with ${response.errorDetails?.errorCode}: ${checked.text.slice(0, 600)}`,
          );
        }
        return;
      }
      if (expectSuccess) {
        if (!response.isSuccess) violated(`an issued token was refused: ${checked.text.slice(0, 600)}`);
        return;
      }
      if (response.isSuccess) {
        violated(
          `a token this connector never issued for this query was accepted (${token.kind}): ${checked.text.slice(0, 600)}`,
        );
      }
      if (response.errorDetails?.errorCode !== 'InvalidArgument') {
        violated(`a bad token was answered with ${response.errorDetails?.errorCode}, not InvalidArgument`);
      }
    });
    return runProperty(
      context,
      this.name,
      options,
      stats,
      property,
      () => `non-canonical spellings of issued tokens refused ${equivalentSpellingsRefused}`,
    );
  },
};

/**
 * A QueryData token spelled differently from an issued one but decoding to the same bytes (base64url leaves spare bits
 * in the last character of the signature). The decoder accepts only the canonical spelling (handler/paging/token.ts),
 * so such a token is refused like any other that was never issued; this only counts that the fuzzer reached the case.
 */
function isNonCanonicalSpelling(token: string, issued: readonly string[]): boolean {
  const parts = token.split('.');
  if (parts.length !== 2 || !/^[A-Za-z0-9_-]{22}$/.test(parts[1]!) || !BASE64URL.test(parts[0]!)) return false;
  return issued.some((real) => {
    const [body, signature] = real.split('.') as [string, string];
    return body === parts[0] && Buffer.from(signature, 'base64url').equals(Buffer.from(parts[1]!, 'base64url'));
  });
}

/**
 * ListEntities tokens are plain cursors: any canonical base64url of "e1:<name>" is a valid one. Returns the name,
 * or null when the token is not such a cursor.
 */
function listTokenCursor(token: string): string | null {
  const text = Buffer.from(token, 'base64url').toString('utf8');
  const valid =
    text.startsWith('e1:') && text.length <= 200 && Buffer.from(text, 'utf8').toString('base64url') === token;
  return valid ? text.slice(3) : null;
}
