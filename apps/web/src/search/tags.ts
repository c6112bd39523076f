// Jaeger UI's tag filter: logfmt text such as `http.status_code=500 error=true msg="a b"`,
// sent to the query API as the JSON object text {"http.status_code":"500","error":"true",...}.

export type TagsParse = { ok: true; tags: Record<string, string> } | { ok: false; error: string };

/** Parses logfmt. Every value is a string, as jaeger-query expects a map of strings. */
export function parseLogfmtTags(text: string): TagsParse {
  const tags: Record<string, string> = {};
  let i = 0;
  const n = text.length;
  const isSpace = (c: string) => c === ' ' || c === '\t' || c === '\n' || c === '\r';
  while (i < n) {
    while (i < n && isSpace(text[i])) i++;
    if (i >= n) break;
    const keyStart = i;
    while (i < n && text[i] !== '=' && !isSpace(text[i])) {
      if (text[i] === '"') return { ok: false, error: `unexpected quote in tag key at position ${i + 1}` };
      i++;
    }
    const key = text.slice(keyStart, i);
    if (i >= n || text[i] !== '=') {
      return { ok: false, error: `tag "${key}" has no value; write it as ${key}=value` };
    }
    i++; // '='
    let value = '';
    if (text[i] === '"') {
      i++;
      let closed = false;
      while (i < n) {
        const c = text[i];
        if (c === '\\' && i + 1 < n) {
          const next = text[i + 1];
          value += next === 'n' ? '\n' : next === 't' ? '\t' : next;
          i += 2;
          continue;
        }
        if (c === '"') {
          closed = true;
          i++;
          break;
        }
        value += c;
        i++;
      }
      if (!closed) return { ok: false, error: `the value of tag "${key}" has no closing quote` };
      if (i < n && !isSpace(text[i])) {
        return { ok: false, error: `expected a space after the quoted value of tag "${key}"` };
      }
    } else {
      const valueStart = i;
      while (i < n && !isSpace(text[i])) i++;
      value = text.slice(valueStart, i);
    }
    if (key === '') return { ok: false, error: 'a tag has an empty key' };
    tags[key] = value;
  }
  return { ok: true, tags };
}

/** Writes tags back as logfmt, quoting values that need it. */
export function formatLogfmtTags(tags: Record<string, string>): string {
  return Object.entries(tags)
    .map(([k, v]) => `${k}=${needsQuotes(v) ? JSON.stringify(v) : v}`)
    .join(' ');
}

function needsQuotes(v: string): boolean {
  return v === '' || /[\s"=\\]/.test(v);
}

/** The `tags` query parameter for /api/traces, or undefined when there are no tags. */
export function tagsParam(text: string): string | undefined {
  const r = parseLogfmtTags(text);
  if (!r.ok || Object.keys(r.tags).length === 0) return undefined;
  return JSON.stringify(r.tags);
}

/**
 * Reads the `tags` URL parameter: logfmt as this UI writes it, or the JSON object text that
 * jaeger-ui puts in its URLs. Returns logfmt text for the form.
 */
export function tagsFromUrlParam(raw: string | null): string {
  if (!raw) return '';
  const t = raw.trim();
  if (t.startsWith('{')) {
    try {
      const obj = JSON.parse(t) as unknown;
      if (obj && typeof obj === 'object' && !Array.isArray(obj)) {
        const out: Record<string, string> = {};
        for (const [k, v] of Object.entries(obj as Record<string, unknown>)) out[k] = String(v);
        return formatLogfmtTags(out);
      }
    } catch {
      // not JSON: keep the text
    }
  }
  return raw;
}
