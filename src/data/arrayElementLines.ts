// Line numbers of the elements of one array inside a JSON document, so an error in row N of a
// .json file can name the line where that row starts (a pretty-printed file has one row per line).

type PathItem = string | number;

/**
 * Returns the 1-based line on which each element of the array at `target` starts; e.g. [] for the
 * top-level array, ['results'] for a Graph response, ['tables', 0, 'rows'] for Log Analytics.
 */
export function arrayElementLines(text: string, target: readonly PathItem[]): number[] {
  const lines: number[] = [];
  // stack of open containers: for arrays the index of the current element, for objects the current key
  const stack: { kind: 'array' | 'object'; index: number; key: string | undefined; expectKey: boolean }[] = [];
  let line = 1;
  let lastKey: string | undefined;
  const atTarget = () => {
    if (stack.length !== target.length + 1) return false;
    for (let d = 0; d < target.length; d++) {
      const frame = stack[d]!;
      const want = target[d]!;
      const got = frame.kind === 'array' ? frame.index : frame.key;
      if (got !== want) return false;
    }
    return stack[stack.length - 1]!.kind === 'array';
  };
  const startValue = () => {
    const top = stack[stack.length - 1];
    if (top?.kind === 'array' && atTarget()) lines.push(line);
  };
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '\n') {
      line++;
      continue;
    }
    if (c === ' ' || c === '\t' || c === '\r') continue;
    const top = stack[stack.length - 1];
    if (c === '"') {
      let j = i + 1;
      let s = '';
      while (j < text.length && text[j] !== '"') {
        if (text[j] === '\\') {
          s += text[j + 1];
          j += 2;
          continue;
        }
        if (text[j] === '\n') line++;
        s += text[j];
        j++;
      }
      if (top?.kind === 'object' && top.expectKey) {
        lastKey = s;
      } else {
        startValue();
      }
      i = j;
      continue;
    }
    if (c === ':') {
      if (top?.kind === 'object') {
        top.key = lastKey;
        top.expectKey = false;
      }
      continue;
    }
    if (c === ',') {
      if (top?.kind === 'array') top.index++;
      else if (top?.kind === 'object') top.expectKey = true;
      continue;
    }
    if (c === '[' || c === '{') {
      startValue();
      stack.push({ kind: c === '[' ? 'array' : 'object', index: 0, key: undefined, expectKey: c === '{' });
      continue;
    }
    if (c === ']' || c === '}') {
      stack.pop();
      continue;
    }
    // a number, true, false or null: consume it
    startValue();
    while (i + 1 < text.length && !',]}\n \t\r'.includes(text[i + 1]!)) i++;
  }
  return lines;
}
