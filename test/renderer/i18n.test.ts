import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { resources } from '../../renderer/i18n/index.js';

// Every string the user sees is translated: Russian and English have the same keys (plural forms
// aside, which differ by language), none is empty, and every key the code asks for exists.
const PLURAL = /_(zero|one|two|few|many|other)$/;

function leaves(value: unknown, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  if (typeof value === 'string') out.set(prefix, value);
  else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) for (const [kk, vv] of leaves(v, prefix ? `${prefix}.${k}` : k)) out.set(kk, vv);
  }
  return out;
}
const base = (key: string) => key.replace(PLURAL, '');

const en = leaves(resources('en'));
const ru = leaves(resources('ru'));

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sources(path) : /\.tsx?$/.test(name) ? [path] : [];
  });
}

describe('translations', () => {
  it('Russian and English have the same keys', () => {
    const enKeys = new Set([...en.keys()].map(base));
    const ruKeys = new Set([...ru.keys()].map(base));
    expect([...enKeys].filter((k) => !ruKeys.has(k))).toEqual([]);
    expect([...ruKeys].filter((k) => !enKeys.has(k))).toEqual([]);
  });

  it('no string is empty, and Russian plurals have their one/few/many forms', () => {
    for (const [key, value] of [...en, ...ru]) expect(value.trim(), key).not.toBe('');
    for (const key of en.keys()) {
      if (!key.endsWith('_other')) continue;
      const stem = key.slice(0, -'_other'.length);
      for (const form of ['one', 'few', 'many']) expect(ru.has(`${stem}_${form}`), `${stem}_${form} in ru`).toBe(true);
    }
  });

  it('every key the renderer asks for exists', () => {
    const known = new Set([...en.keys()].map(base));
    const missing: string[] = [];
    for (const file of sources(resolve(__dirname, '../../renderer'))) {
      const text = readFileSync(file, 'utf8');
      for (const m of text.matchAll(/\bt\(\s*'([a-zA-Z][\w]*(?:\.[\w]+)+)'/g)) if (!known.has(base(m[1]!))) missing.push(`${file.split('/renderer/')[1]}: ${m[1]}`);
    }
    expect(missing).toEqual([]);
  });
});
