/**
 * Structure of the filter query: a hand-written tokenizer and a
 * recursive-descent parser (not > and > or, `and` implied between terms).
 *
 * The query is typed by a person but may be pasted from anywhere, so nothing
 * here throws and recursion is bounded: every level of parentheses or `not`
 * counts against MAX_DEPTH before the parser descends.
 */
import { compileTerm, flagPredicate, wordPredicate, type Compiled, type Operator, type Predicate, type QueryFields, type TermSyntax } from './query-eval';

/** Deepest nesting of parentheses and `not` together. */
export const MAX_DEPTH = 64;

type Token =
  | { readonly kind: 'lparen' | 'rparen' | 'not' | 'and' | 'or'; readonly pos: number; readonly end: number }
  | { readonly kind: 'word'; readonly pos: number; readonly end: number; readonly text: string; readonly quoted: boolean }
  | { readonly kind: 'term'; readonly pos: number; readonly end: number; readonly term: TermSyntax };

type Failure = { readonly ok: false; readonly error: string; readonly position: number };
const fail = (error: string, position: number): Failure => ({ ok: false, error, position });

/** Longest first, so `>=` is not read as `>` followed by a value `=…`. */
const OPERATORS = ['>=', '<=', '!=', '==', '>', '<', '=', ':', '~'] as const;
const KEYWORDS = new Map<string, 'and' | 'or' | 'not'>([['and', 'and'], ['or', 'or'], ['not', 'not']]);
const SPACE = /\s/;

function operatorAt(text: string, i: number): (typeof OPERATORS)[number] | undefined {
  return OPERATORS.find((op) => text.startsWith(op, i));
}

/** Field names and bare words end at spaces, parentheses, quotes and operators. */
function endOfWord(text: string, i: number): number {
  let j = i;
  while (j < text.length && !SPACE.test(text[j]) && !'()"'.includes(text[j]) && operatorAt(text, j) === undefined) j++;
  return j;
}

/** A double-quoted string starting at `i`; `\"` and `\\` are escapes, other backslashes stay (regexes need them). */
function readQuoted(text: string, i: number): { value: string; end: number } | Failure {
  let out = '';
  for (let j = i + 1; j < text.length; j++) {
    const c = text[j];
    if (c === '"') return { value: out, end: j + 1 };
    if (c === '\\' && (text[j + 1] === '"' || text[j + 1] === '\\')) out += text[++j];
    else out += c;
  }
  return fail('unterminated quote', i);
}

/**
 * End of an unquoted regex: at a space, or at a `)` it did not open itself, so
 * that both `cmd~(a|b)` and `(cmd~a)` work. Escapes and `[…]` classes are skipped.
 */
function endOfRegex(text: string, i: number): number {
  let depth = 0;
  let inClass = false;
  let j = i;
  for (; j < text.length && !SPACE.test(text[j]); j++) {
    const c = text[j];
    if (c === '\\') j++;
    else if (inClass) inClass = c !== ']';
    else if (c === '[') inClass = true;
    else if (c === '(') depth++;
    else if (c === ')' && depth-- === 0) break;
  }
  return Math.min(j, text.length);
}

/** The value after the operator of `label` (e.g. `cpu>`), starting at `k`. */
function readValue(text: string, k: number, op: Operator, label: string): { value: string; valuePos: number; end: number } | Failure {
  if (text[k] === '"') {
    const q = readQuoted(text, k);
    return 'ok' in q ? q : { value: q.value, valuePos: k + 1, end: q.end };
  }
  const end = op === '~' ? endOfRegex(text, k) : endOfPlain(text, k);
  if (end === k) return fail(`missing value after '${label}'`, k);
  return { value: text.slice(k, end), valuePos: k, end };
}

/** Plain values (`pts/0`, `1.5GiB`, `-5`) run to a space or parenthesis. */
function endOfPlain(text: string, k: number): number {
  let j = k;
  while (j < text.length && !SPACE.test(text[j]) && text[j] !== '(' && text[j] !== ')') j++;
  return j;
}

/** A word starting at `i`: keyword, bare word, or the field of a term. */
function readWordOrTerm(text: string, i: number): Token | Failure {
  const j = endOfWord(text, i);
  const raw = operatorAt(text, j);
  if (raw === undefined) {
    const word = text.slice(i, j);
    const keyword = KEYWORDS.get(word.toLowerCase());
    return keyword ? { kind: keyword, pos: i, end: j } : { kind: 'word', pos: i, end: j, text: word, quoted: false };
  }
  if (j === i) return fail(`missing field name before '${raw}'`, i);
  const op: Operator = raw === '==' ? '=' : raw;
  const v = readValue(text, j + raw.length, op, text.slice(i, j + raw.length));
  if ('ok' in v) return v;
  const term: TermSyntax = { field: text.slice(i, j), fieldPos: i, op, opPos: j, value: v.value, valuePos: v.valuePos };
  return { kind: 'term', pos: i, end: v.end, term };
}

/** One token at `i` (not a space). */
function readToken(text: string, i: number): Token | Failure {
  const c = text[i];
  if (c === '(') return { kind: 'lparen', pos: i, end: i + 1 };
  if (c === ')') return { kind: 'rparen', pos: i, end: i + 1 };
  if (c === '!' && text[i + 1] !== '=') return { kind: 'not', pos: i, end: i + 1 };
  if (c === '"') {
    const q = readQuoted(text, i);
    return 'ok' in q ? q : { kind: 'word', pos: i, end: q.end, text: q.value, quoted: true };
  }
  return readWordOrTerm(text, i);
}

/** Split the query into tokens, or report the first lexical error. */
function tokenize(text: string): Token[] | Failure {
  const tokens: Token[] = [];
  let i = 0;
  for (;;) {
    while (i < text.length && SPACE.test(text[i])) i++;
    if (i >= text.length) return tokens;
    const t = readToken(text, i);
    if ('ok' in t) return t;
    tokens.push(t);
    i = t.end;
  }
}

const ok = (predicate: Predicate): Compiled => ({ ok: true, predicate });
const tooDeep = (pos: number): Failure => fail(`too deeply nested (more than ${MAX_DEPTH} levels of parentheses and 'not')`, pos);

/**
 * or := and ('or' and)* ; and := unary ('and'? unary)* ; unary := ('not' | '!') unary | primary ;
 * primary := '(' or ')' | term | flag | word. Lists of `and`/`or` operands are
 * kept flat, so a long query makes a wide predicate, never a deep one.
 */
class Parser {
  private i = 0;
  /** Parentheses open at the current point, to tell a stray `)` from an empty group. */
  private open = 0;

  constructor(private readonly text: string, private readonly tokens: readonly Token[], private readonly fields: QueryFields | undefined) {}

  parse(): Compiled {
    if (this.tokens.length === 0) return ok(() => true);
    const r = this.parseOr(0);
    const t = this.tokens[this.i];
    if (!r.ok || t === undefined) return r;
    return fail(t.kind === 'rparen' ? "unbalanced ')': nothing to close" : `unexpected '${this.source(t)}'`, t.pos);
  }

  private parseOr(depth: number): Compiled {
    const items: Predicate[] = [];
    do {
      const r = this.parseAnd(depth);
      if (!r.ok) return r;
      items.push(r.predicate);
    } while (this.accept('or'));
    return ok(items.length === 1 ? items[0] : (p, ctx) => items.some((f) => f(p, ctx)));
  }

  private parseAnd(depth: number): Compiled {
    const items: Predicate[] = [];
    do {
      const r = this.parseUnary(depth);
      if (!r.ok) return r;
      items.push(r.predicate);
    } while (this.accept('and') || this.startsOperand());
    return ok(items.length === 1 ? items[0] : (p, ctx) => items.every((f) => f(p, ctx)));
  }

  private parseUnary(depth: number): Compiled {
    const t = this.tokens[this.i];
    if (t?.kind !== 'not') return this.parsePrimary(depth);
    if (depth >= MAX_DEPTH) return tooDeep(t.pos);
    this.i++;
    const r = this.parseUnary(depth + 1);
    if (!r.ok) return r;
    const f = r.predicate;
    return ok((p, ctx) => !f(p, ctx));
  }

  private parsePrimary(depth: number): Compiled {
    const t = this.tokens[this.i];
    if (t === undefined) return fail(`expected a term after '${this.source(this.tokens[this.i - 1])}'`, this.text.length);
    switch (t.kind) {
      case 'lparen':
        return this.parseGroup(t.pos, depth);
      case 'term':
        this.i++;
        return compileTerm(t.term, this.fields);
      case 'word':
        this.i++;
        return ok(this.bareWord(t.text, t.quoted));
      case 'rparen':
        return fail(this.open === 0 ? "unbalanced ')': nothing to close" : "expected a term before ')'", t.pos);
      default:
        return fail(`'${this.source(t)}' needs a term on each side`, t.pos);
    }
  }

  private parseGroup(pos: number, depth: number): Compiled {
    if (depth >= MAX_DEPTH) return tooDeep(pos);
    this.i++;
    this.open++;
    const r = this.parseOr(depth + 1);
    if (!r.ok) return r;
    if (this.tokens[this.i]?.kind !== 'rparen') return fail("unbalanced '(': no matching ')'", pos);
    this.i++;
    this.open--;
    return r;
  }

  /**
   * A quoted word is always text. A bare word that is also a flag (`stopped`) matches the
   * flag's processes or the name/command line, so a process called `stopped-tracer` is found
   * as an htop user expects; `is:stopped` is the strict form for scripts.
   */
  private bareWord(text: string, quoted: boolean): Predicate {
    const word = wordPredicate(text);
    const flag = quoted ? undefined : flagPredicate(text);
    return flag === undefined ? word : (p, ctx) => flag(p, ctx) || word(p, ctx);
  }

  private accept(kind: 'and' | 'or'): boolean {
    if (this.tokens[this.i]?.kind !== kind) return false;
    this.i++;
    return true;
  }

  private startsOperand(): boolean {
    const kind = this.tokens[this.i]?.kind;
    return kind === 'word' || kind === 'term' || kind === 'not' || kind === 'lparen';
  }

  private source(t: Token | undefined): string {
    return t === undefined ? '' : this.text.slice(t.pos, t.end);
  }
}

/** The unquoted bare words of a query that are also flags (`stopped`, `zombie`…), in order, each once; none when it does not tokenize. */
export function bareFlagWords(text: string): string[] {
  const tokens = tokenize(text);
  if ('ok' in tokens) return [];
  const words = tokens.flatMap((t) => (t.kind === 'word' && !t.quoted && flagPredicate(t.text) !== undefined ? [t.text] : []));
  return [...new Set(words)];
}

/** Tokenize and parse a query into one predicate, or the first error with its position. Fields default to proctop's columns. */
export function compileQuery(text: string, fields?: QueryFields): Compiled {
  const tokens = tokenize(text);
  return 'ok' in tokens ? tokens : new Parser(text, tokens, fields).parse();
}
