/**
 * The tokenizer of the `filter` processor's condition language (the language is described in
 * filter-processor.ts). Positions are 1-based character offsets into the condition, so an error
 * can point at the place.
 */

export type TokenType =
  | 'ident' // name, status.code, resource.attributes, IsMatch, SPAN_KIND_CLIENT, and, or, not…
  | 'string'
  | 'number'
  | 'op' // == != < <= > >=
  | '('
  | ')'
  | '['
  | ']'
  | ','
  | 'end';

export interface Token {
  type: TokenType;
  /** The source text, or the decoded value for a string. */
  text: string;
  pos: number;
}

export class ConditionSyntaxError extends Error {
  readonly pos: number;

  constructor(message: string, pos: number) {
    super(`${message} at position ${pos}`);
    this.name = 'ConditionSyntaxError';
    this.pos = pos;
  }
}

/** Longer conditions are refused: config is trusted, but a bound keeps mistakes cheap. */
export const MAX_CONDITION_LENGTH = 8192;

const IDENT = /[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*/y;
const NUMBER = /-?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?/y;
const ESCAPES: Record<string, string> = { '"': '"', '\\': '\\', n: '\n', t: '\t', r: '\r' };

export function tokenize(src: string): Token[] {
  if (src.length > MAX_CONDITION_LENGTH)
    throw new ConditionSyntaxError(`condition is longer than ${MAX_CONDITION_LENGTH} characters`, 1);
  const out: Token[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i];
    const pos = i + 1;
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
      i++;
      continue;
    }
    if ('()[],'.includes(c)) {
      out.push({ type: c as TokenType, text: c, pos });
      i++;
      continue;
    }
    const two = src.slice(i, i + 2);
    if (two === '==' || two === '!=' || two === '<=' || two === '>=') {
      out.push({ type: 'op', text: two, pos });
      i += 2;
      continue;
    }
    if (c === '<' || c === '>') {
      out.push({ type: 'op', text: c, pos });
      i++;
      continue;
    }
    if (c === '=' || c === '!')
      throw new ConditionSyntaxError(`unexpected "${c}": use == or != to compare, and "not" to negate`, pos);
    if (c === '"') {
      let text = '';
      let j = i + 1;
      for (;;) {
        if (j >= src.length) throw new ConditionSyntaxError('unterminated string: expected a closing "', pos);
        const d = src[j];
        if (d === '"') break;
        if (d === '\\') {
          const e = ESCAPES[src[j + 1]];
          if (e === undefined)
            throw new ConditionSyntaxError(
              `unknown escape "\\${src[j + 1] ?? ''}" in string (use \\" \\\\ \\n \\t \\r)`,
              j + 1,
            );
          text += e;
          j += 2;
          continue;
        }
        text += d;
        j++;
      }
      out.push({ type: 'string', text, pos });
      i = j + 1;
      continue;
    }
    NUMBER.lastIndex = i;
    const num = NUMBER.exec(src);
    if (num) {
      out.push({ type: 'number', text: num[0], pos });
      i += num[0].length;
      continue;
    }
    IDENT.lastIndex = i;
    const id = IDENT.exec(src);
    if (id) {
      out.push({ type: 'ident', text: id[0], pos });
      i += id[0].length;
      continue;
    }
    throw new ConditionSyntaxError(`unexpected character "${c}"`, pos);
  }
  out.push({ type: 'end', text: '', pos: src.length + 1 });
  return out;
}

/** How a token reads in an error message. */
export function describe(t: Token): string {
  if (t.type === 'end') return 'end of condition';
  if (t.type === 'string') return `string "${t.text}"`;
  if (t.type === 'number') return `number ${t.text}`;
  if (t.type === 'ident') return `"${t.text}"`;
  return `"${t.text}"`;
}
