/**
 * The selector languages of the existing Grafana plugin's annotations, parsed without `eval`.
 *
 * `grafana/dashboard-selector`: either a single tag (`payments-api`) or an expression over a
 * dashboard's `title`, `tags`, `url`, `folderTitle` and `folderUrl` with `||`, `&&`, `!`,
 * `==`, `!=`, `@>` (inclusion: `tags @> 'x'`), parentheses and quoted strings, e.g.
 * `(tags @> 'my-service' || tags @> 'my-service-slo') && tags @> 'generated'`.
 *
 * `grafana/alert-label-selector`: `label=value`, several separated by commas; an alert matches
 * when it carries at least one of them (as in the existing plugin).
 */

export const SELECTOR_VARIABLES = [
  'title',
  'tags',
  'url',
  'folderTitle',
  'folderUrl',
] as const;
export type SelectorVariable = (typeof SELECTOR_VARIABLES)[number];
export type SelectorSubject = Partial<
  Record<SelectorVariable, string | string[] | undefined>
>;

export type SelectorNode =
  | { type: 'or' | 'and'; left: SelectorNode; right: SelectorNode }
  | { type: 'not'; operand: SelectorNode }
  | { type: 'compare'; op: '==' | '!=' | '@>'; left: Operand; right: Operand }
  | { type: 'operand'; operand: Operand };

export type Operand =
  | { kind: 'string'; value: string }
  | { kind: 'variable'; name: SelectorVariable };

export class SelectorError extends Error {}

type Token =
  | {
      t: 'op';
      v: '||' | '&&' | '==' | '!=' | '@>' | '!' | '(' | ')';
      at: number;
    }
  | { t: 'str'; v: string; at: number }
  | { t: 'id'; v: string; at: number };

const MAX_SELECTOR_LENGTH = 1000;
const MAX_DEPTH = 50;

function tokenize(input: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < input.length) {
    const c = input[i];
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    const two = input.slice(i, i + 2);
    if (
      two === '||' ||
      two === '&&' ||
      two === '==' ||
      two === '!=' ||
      two === '@>'
    ) {
      tokens.push({ t: 'op', v: two, at: i });
      i += 2;
      continue;
    }
    if (c === '!' || c === '(' || c === ')') {
      tokens.push({ t: 'op', v: c, at: i });
      i++;
      continue;
    }
    if (c === "'" || c === '"') {
      let j = i + 1;
      let value = '';
      while (j < input.length && input[j] !== c) {
        if (input[j] === '\\' && j + 1 < input.length) {
          value += input[j + 1];
          j += 2;
        } else {
          value += input[j++];
        }
      }
      if (j >= input.length) {
        throw new SelectorError(`unterminated string at character ${i + 1}`);
      }
      tokens.push({ t: 'str', v: value, at: i });
      i = j + 1;
      continue;
    }
    const word = /^[A-Za-z_][\w]*/.exec(input.slice(i));
    if (word) {
      tokens.push({ t: 'id', v: word[0], at: i });
      i += word[0].length;
      continue;
    }
    throw new SelectorError(`unexpected '${c}' at character ${i + 1}`);
  }
  return tokens;
}

class Parser {
  private pos = 0;
  private depth = 0;
  constructor(private readonly tokens: Token[]) {}

  parse(): SelectorNode {
    if (this.tokens.length === 0) throw new SelectorError('empty selector');
    const node = this.or();
    const extra = this.tokens[this.pos];
    if (extra) {
      throw new SelectorError(
        `unexpected '${extra.v}' at character ${extra.at + 1}`,
      );
    }
    return node;
  }

  private peekOp(v: string) {
    const token = this.tokens[this.pos];
    return token?.t === 'op' && token.v === v;
  }

  private enter() {
    if (++this.depth > MAX_DEPTH)
      throw new SelectorError('selector nests too deeply');
  }

  private or(): SelectorNode {
    let left = this.and();
    while (this.peekOp('||')) {
      this.pos++;
      left = { type: 'or', left, right: this.and() };
    }
    return left;
  }

  private and(): SelectorNode {
    let left = this.unary();
    while (this.peekOp('&&')) {
      this.pos++;
      left = { type: 'and', left, right: this.unary() };
    }
    return left;
  }

  private unary(): SelectorNode {
    if (this.peekOp('!')) {
      this.pos++;
      this.enter();
      const operand = this.unary();
      this.depth--;
      return { type: 'not', operand };
    }
    return this.comparison();
  }

  private comparison(): SelectorNode {
    if (this.peekOp('(')) {
      this.pos++;
      this.enter();
      const inner = this.or();
      this.depth--;
      if (!this.peekOp(')')) throw new SelectorError("missing ')'");
      this.pos++;
      return inner;
    }
    const left = this.operand();
    const token = this.tokens[this.pos];
    if (
      token?.t === 'op' &&
      (token.v === '==' || token.v === '!=' || token.v === '@>')
    ) {
      this.pos++;
      return { type: 'compare', op: token.v, left, right: this.operand() };
    }
    return { type: 'operand', operand: left };
  }

  private operand(): Operand {
    const token = this.tokens[this.pos];
    if (!token) throw new SelectorError('the selector ends too early');
    this.pos++;
    if (token.t === 'str') return { kind: 'string', value: token.v };
    if (token.t === 'id') {
      if (!(SELECTOR_VARIABLES as readonly string[]).includes(token.v)) {
        throw new SelectorError(
          `unknown variable '${token.v}' (known: ${SELECTOR_VARIABLES.join(
            ', ',
          )})`,
        );
      }
      return { kind: 'variable', name: token.v as SelectorVariable };
    }
    throw new SelectorError(
      `unexpected '${token.v}' at character ${token.at + 1}`,
    );
  }
}

/** A single word is a tag, as in the existing plugin (`payments-api` = `tags @> 'payments-api'`). */
const SINGLE_TAG = /^[\w.:/-]+$/;

export function parseDashboardSelector(input: string): SelectorNode {
  const trimmed = input.trim();
  if (trimmed.length > MAX_SELECTOR_LENGTH) {
    throw new SelectorError(`longer than ${MAX_SELECTOR_LENGTH} characters`);
  }
  if (
    SINGLE_TAG.test(trimmed) &&
    !(SELECTOR_VARIABLES as readonly string[]).includes(trimmed)
  ) {
    return {
      type: 'compare',
      op: '@>',
      left: { kind: 'variable', name: 'tags' },
      right: { kind: 'string', value: trimmed },
    };
  }
  return new Parser(tokenize(trimmed)).parse();
}

type Value = string | string[] | boolean | undefined;

function valueOf(operand: Operand, subject: SelectorSubject): Value {
  return operand.kind === 'string' ? operand.value : subject[operand.name];
}

function evaluateValue(node: SelectorNode, subject: SelectorSubject): Value {
  switch (node.type) {
    case 'or':
      return (
        evaluateValue(node.left, subject) === true ||
        evaluateValue(node.right, subject) === true
      );
    case 'and':
      return (
        evaluateValue(node.left, subject) === true &&
        evaluateValue(node.right, subject) === true
      );
    case 'not':
      return evaluateValue(node.operand, subject) !== true;
    case 'compare': {
      const left = valueOf(node.left, subject);
      const right = valueOf(node.right, subject);
      if (node.op === '==') return left === right;
      if (node.op === '!=') return left !== right;
      if (typeof right !== 'string') return false;
      if (Array.isArray(left)) return left.includes(right);
      return typeof left === 'string' ? left.includes(right) : false;
    }
    default:
      return valueOf(node.operand, subject);
  }
}

/** Whether the subject (a dashboard, or an annotation's tags) satisfies the selector. */
export function matchesSelector(
  node: SelectorNode,
  subject: SelectorSubject,
): boolean {
  return evaluateValue(node, subject) === true;
}

/**
 * Tags every match must carry (so that Grafana's search can filter by them): an `&&` needs the
 * tags of both sides, an `||` only those common to both, anything under `!` none.
 */
export function requiredTags(node: SelectorNode): string[] {
  const walk = (n: SelectorNode): Set<string> => {
    switch (n.type) {
      case 'and':
        return new Set([...walk(n.left), ...walk(n.right)]);
      case 'or': {
        const right = walk(n.right);
        return new Set([...walk(n.left)].filter(t => right.has(t)));
      }
      case 'compare':
        return n.op === '@>' &&
          n.left.kind === 'variable' &&
          n.left.name === 'tags' &&
          n.right.kind === 'string'
          ? new Set([n.right.value])
          : new Set();
      default:
        return new Set();
    }
  };
  return [...walk(node)];
}

/** Tags the selector asks for anywhere outside a `!`: the tags of the service's annotations. */
export function positiveTags(node: SelectorNode): string[] {
  const out = new Set<string>();
  const walk = (n: SelectorNode) => {
    switch (n.type) {
      case 'and':
      case 'or':
        walk(n.left);
        walk(n.right);
        return;
      case 'compare':
        if (
          n.op === '@>' &&
          n.left.kind === 'variable' &&
          n.left.name === 'tags' &&
          n.right.kind === 'string'
        ) {
          out.add(n.right.value);
        }
        return;
      default:
        return;
    }
  };
  walk(node);
  return [...out];
}

export interface LabelMatcher {
  label: string;
  value: string;
}

const LABEL_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** `service=payments-api,team=payments` to matchers; an alert matches any one of them. */
export function parseAlertLabelSelector(input: string): LabelMatcher[] {
  if (input.length > MAX_SELECTOR_LENGTH) {
    throw new SelectorError(`longer than ${MAX_SELECTOR_LENGTH} characters`);
  }
  const parts = input
    .split(',')
    .map(p => p.trim())
    .filter(Boolean);
  if (parts.length === 0) throw new SelectorError('empty selector');
  return parts.map(part => {
    const eq = part.indexOf('=');
    if (eq <= 0) {
      throw new SelectorError(`'${part}' is not label=value`);
    }
    const label = part.slice(0, eq).trim();
    const value = part
      .slice(eq + 1)
      .trim()
      .replace(/^(["'])(.*)\1$/, '$2');
    if (!LABEL_NAME.test(label)) {
      throw new SelectorError(`'${label}' is not a label name`);
    }
    if (!value) throw new SelectorError(`'${part}' has no value`);
    return { label, value };
  });
}

export function matchesLabels(
  matchers: LabelMatcher[],
  labels: Record<string, string> | undefined,
): boolean {
  return matchers.some(m => labels?.[m.label] === m.value);
}
