import { describe, expect, it } from 'vitest';
import { translate } from './i18n';
import { catalogues } from '../app/catalogue';

describe('translate', () => {
  it('fills placeholders and falls back to Spanish, then to the key', () => {
    const c = { es: { a: 'Hola {name}', b: 'solo español' }, en: { a: 'Hello {name}' } };
    expect(translate(c, 'en', 'a', { name: 'Ana' })).toBe('Hello Ana');
    expect(translate(c, 'en', 'b')).toBe('solo español');
    expect(translate(c, 'es', 'missing')).toBe('missing');
  });
});

describe('the app catalogue', () => {
  it('has every key in both languages', () => {
    const es = Object.keys(catalogues.es).sort();
    const en = Object.keys(catalogues.en).sort();
    expect(es.filter((k) => !en.includes(k))).toEqual([]);
    expect(en.filter((k) => !es.includes(k))).toEqual([]);
  });
});
