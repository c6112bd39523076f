/**
 * The parser of the `filter` processor's condition language (described in filter-processor.ts),
 * by recursive descent over this grammar:
 *
 *   condition  := or
 *   or         := and ("or" and)*
 *   and        := unary ("and" unary)*
 *   unary      := "not" unary | primary
 *   primary    := "(" or ")" | operand [compareOp operand]   (a bare operand must be boolean)
 *   operand    := path | string | number | "true" | "false" | "nil" | ENUM | call
 *   path       := name | kind | status.code | status.message | duration_ms
 *               | attributes[string] | resource.attributes[string]
 *               | instrumentation_scope.name | instrumentation_scope.version
 *               | trace_id.string | span_id.string | parent_span_id.string
 *   call       := "IsMatch" "(" operand "," string ")"
 *   compareOp  := == | != | < | <= | > | >=
 *
 * Errors say what was expected, what was found, and where.
 */
import { compileConfigRegex } from './attributes-value.ts';
import { ConditionSyntaxError, describe, type Token, tokenize } from './filter-tokens.ts';

export type Literal = string | number | bigint | boolean | null;

export type PathName =
  | 'name'
  | 'kind'
  | 'status.code'
  | 'status.message'
  | 'duration_ms'
  | 'attributes'
  | 'resource.attributes'
  | 'instrumentation_scope.name'
  | 'instrumentation_scope.version'
  | 'trace_id.string'
  | 'span_id.string'
  | 'parent_span_id.string';

export type Operand =
  | { type: 'path'; path: PathName; key?: string }
  | { type: 'literal'; value: Literal }
  | { type: 'match'; target: Operand; regex: RegExp };

export type CompareOp = '==' | '!=' | '<' | '<=' | '>' | '>=';

export type Condition =
  | { type: 'or' | 'and'; left: Condition; right: Condition }
  | { type: 'not'; operand: Condition }
  | { type: 'compare'; op: CompareOp; left: Operand; right: Operand }
  | { type: 'test'; operand: Operand };

const KEYED_PATHS = new Set<PathName>(['attributes', 'resource.attributes']);
const PLAIN_PATHS = new Set<PathName>([
  'name',
  'kind',
  'status.code',
  'status.message',
  'duration_ms',
  'instrumentation_scope.name',
  'instrumentation_scope.version',
  'trace_id.string',
  'span_id.string',
  'parent_span_id.string',
]);

/** OTLP's enum names, as OTTL spells them; they stand for ints. */
export const ENUMS: Record<string, bigint> = {
  SPAN_KIND_UNSPECIFIED: 0n,
  SPAN_KIND_INTERNAL: 1n,
  SPAN_KIND_SERVER: 2n,
  SPAN_KIND_CLIENT: 3n,
  SPAN_KIND_PRODUCER: 4n,
  SPAN_KIND_CONSUMER: 5n,
  STATUS_CODE_UNSET: 0n,
  STATUS_CODE_OK: 1n,
  STATUS_CODE_ERROR: 2n,
};

const KEYWORDS = new Set(['and', 'or', 'not']);
const MAX_DEPTH = 64;
const OPERAND =
  'a value (a path such as name or attributes["key"], a string, a number, true, false, nil or an enum)';

export function parseCondition(src: string): Condition {
  const tokens = tokenize(src);
  let i = 0;
  let depth = 0;
  const peek = () => tokens[i];
  const fail = (expected: string, t: Token = peek()): never => {
    throw new ConditionSyntaxError(`expected ${expected}, found ${describe(t)}`, t.pos);
  };
  const expect = (type: Token['type'], what: string): Token => {
    const t = peek();
    if (t.type !== type) fail(what, t);
    i++;
    return t;
  };
  const isWord = (w: string) => peek().type === 'ident' && peek().text === w;

  const parseOr = (): Condition => {
    if (++depth > MAX_DEPTH)
      throw new ConditionSyntaxError(`condition nests deeper than ${MAX_DEPTH} levels`, peek().pos);
    let left = parseAnd();
    while (isWord('or')) {
      i++;
      left = { type: 'or', left, right: parseAnd() };
    }
    depth--;
    return left;
  };
  const parseAnd = (): Condition => {
    let left = parseUnary();
    while (isWord('and')) {
      i++;
      left = { type: 'and', left, right: parseUnary() };
    }
    return left;
  };
  const parseUnary = (): Condition => {
    if (isWord('not')) {
      i++;
      if (++depth > MAX_DEPTH)
        throw new ConditionSyntaxError(`condition nests deeper than ${MAX_DEPTH} levels`, peek().pos);
      const operand = parseUnary();
      depth--;
      return { type: 'not', operand };
    }
    return parsePrimary();
  };
  const parsePrimary = (): Condition => {
    if (peek().type === '(') {
      i++;
      const inner = parseOr();
      expect(')', '")" to close the parenthesis');
      return inner;
    }
    const start = peek();
    const left = parseOperand();
    const t = peek();
    if (t.type === 'op') {
      i++;
      return { type: 'compare', op: t.text as CompareOp, left, right: parseOperand() };
    }
    const boolean = left.type === 'match' || (left.type === 'literal' && typeof left.value === 'boolean');
    if (!boolean) fail(`a comparison operator (==, !=, <, <=, >, >=) after ${describe(start)}`, t);
    return { type: 'test', operand: left };
  };
  const parseOperand = (): Operand => {
    const t = peek();
    if (t.type === 'string') {
      i++;
      return { type: 'literal', value: t.text };
    }
    if (t.type === 'number') {
      i++;
      const integer = /^-?\d+$/.test(t.text);
      return { type: 'literal', value: integer ? BigInt(t.text) : Number(t.text) };
    }
    if (t.type !== 'ident' || KEYWORDS.has(t.text)) return fail(OPERAND, t);
    i++;
    const word = t.text;
    if (word === 'true' || word === 'false') return { type: 'literal', value: word === 'true' };
    if (word === 'nil') return { type: 'literal', value: null };
    if (word in ENUMS) return { type: 'literal', value: ENUMS[word] };
    if (word === 'IsMatch') {
      expect('(', '"(" after IsMatch');
      const target = parseOperand();
      expect(',', '"," between the arguments of IsMatch');
      const pattern = expect('string', 'a regular expression as a string, e.g. "^GET "');
      let regex: RegExp;
      try {
        regex = compileConfigRegex(pattern.text);
      } catch (err) {
        throw new ConditionSyntaxError(`invalid regular expression: ${(err as Error).message}`, pattern.pos);
      }
      expect(')', '")" to close IsMatch');
      return { type: 'match', target, regex };
    }
    if (KEYED_PATHS.has(word as PathName)) {
      expect('[', `"[" after ${word}, as in ${word}["key"]`);
      const key = expect('string', 'an attribute key as a string, e.g. "http.method"');
      expect(']', '"]" to close the attribute key');
      return { type: 'path', path: word as PathName, key: key.text };
    }
    if (PLAIN_PATHS.has(word as PathName)) return { type: 'path', path: word as PathName };
    throw new ConditionSyntaxError(
      `unknown name "${word}": expected a path (${[...PLAIN_PATHS].join(', ')}, attributes["k"], ` +
        `resource.attributes["k"]), an enum such as SPAN_KIND_CLIENT or STATUS_CODE_ERROR, or IsMatch`,
      t.pos,
    );
  };

  const condition = parseOr();
  if (peek().type !== 'end') fail('"and", "or" or the end of the condition');
  return condition;
}
