import Handlebars from 'handlebars'
import { describe, expect, it } from 'vitest'
import { DefinitionError, ValidationError } from '../errors'
import { MAX_TEMPLATE_SOURCE, renderTemplate, validateTemplate } from './render-template'

const en = { locale: 'en', timeZone: 'UTC' }
const text = { ...en, format: 'text' as const }

describe('renderTemplate', () => {
  it('fills fields, blocks and loops from the data', () => {
    const source = '{{name}}: {{#each lines}}{{product}} ×{{qty}}; {{/each}}{{#if vip}}VIP{{/if}}'
    const data = {
      name: 'Acme',
      vip: true,
      lines: [
        { product: 'Pump', qty: 2 },
        { product: 'Valve', qty: 1 },
      ],
    }
    expect(renderTemplate(source, data, text)).toBe('Acme: Pump ×2; Valve ×1; VIP')
  })

  it('escapes values in HTML and leaves them alone in text', () => {
    const data = { name: '<b>Tom & "Jerry"</b>' }
    expect(renderTemplate('<p>{{name}}</p>', data, { ...en, format: 'html' })).toBe(
      '<p>&lt;b&gt;Tom &amp; &quot;Jerry&quot;&lt;/b&gt;</p>',
    )
    expect(renderTemplate('{{name}}', data, text)).toBe('<b>Tom & "Jerry"</b>')
  })

  it('escapes by default', () => {
    expect(renderTemplate('{{x}}', { x: '<i>' }, en)).toBe('&lt;i&gt;')
  })

  it('reaches no inherited property: constructor, __proto__, lookup, prototype methods', () => {
    const data = { name: 'a', list: [1] }
    const attacks = [
      '{{constructor}}',
      '{{constructor.constructor}}',
      '{{constructor.name}}',
      '{{__proto__}}',
      '{{__proto__.constructor}}',
      '{{lookup this "constructor"}}',
      '{{lookup (lookup this "constructor") "constructor"}}',
      '{{#with constructor}}{{name}}{{/with}}',
      '{{#with __proto__}}{{toString}}{{/with}}',
      '{{name.constructor}}',
      '{{list.constructor}}',
      '{{toString}}',
      '{{hasOwnProperty}}',
      '{{#each this}}{{@key}}={{this}} {{/each}}',
    ]
    const rendered = attacks.map((source) => renderTemplate(source, data, text))
    expect(rendered.slice(0, -1)).toEqual(attacks.slice(0, -1).map(() => ''))
    expect(rendered.at(-1)).toBe('name=a list=1 ')
  })

  it('never reads a property an object inherits, where handlebars could be told to', () => {
    class Quote {
      get secret() {
        return 'inherited'
      }
    }
    const global = Handlebars.compile('{{secret}}')
    expect(global(new Quote(), { allowProtoPropertiesByDefault: true })).toBe('inherited')
    expect(renderTemplate('{{secret}}', new Quote(), text)).toBe('')
  })

  it('refuses partials, decorators and unknown helpers, naming the template', () => {
    for (const source of [
      '{{> header}}',
      '{{#> layout}}x{{/layout}}',
      '{{* inline}}',
      '{{log "x"}}',
      '{{shout name}}',
    ]) {
      expect(() => renderTemplate(source, {}, text), source).toThrow(DefinitionError)
      expect(validateTemplate(source)[0].path).toBe('template')
    }
  })

  it('reports a syntax error with handlebars own words', () => {
    const issues = validateTemplate('{{#if x}}open')
    expect(issues).toHaveLength(1)
    expect(issues[0].message).toMatch(/Parse error|Expecting/)
    expect(validateTemplate('Hello {{name}}')).toEqual([])
  })

  it('refuses a source or an output over its limit', () => {
    expect(() => renderTemplate('x'.repeat(MAX_TEMPLATE_SOURCE + 1), {}, text)).toThrow(/not valid/)
    const big = { rows: Array.from({ length: 100 }, () => 'y'.repeat(100)) }
    expect(() =>
      renderTemplate('{{#each rows}}{{this}}{{/each}}', big, { ...text, maxOutput: 5000 }),
    ).toThrow(/too long/)
    expect(renderTemplate('{{#each rows}}{{this}}{{/each}}', big, text)).toHaveLength(10_000)
  })

  it('answers a bad locale or time zone with a ValidationError naming it', () => {
    const fail = (options: { locale: string; timeZone: string }) => {
      try {
        renderTemplate('x', {}, options)
      } catch (error) {
        expect(error).toBeInstanceOf(ValidationError)
        return (error as ValidationError).details[0].path
      }
      return 'no error'
    }
    expect(fail({ locale: 'not a locale!', timeZone: 'UTC' })).toBe('locale')
    expect(fail({ locale: 'ko', timeZone: 'Mars/Olympus' })).toBe('timeZone')
  })

  it('formats in the reader locale and zone through the helpers, inside loops too', () => {
    const source = '{{#each items}}{{formatMoney price}} {{formatDateTime at}}|{{/each}}'
    const data = {
      items: [{ price: { amount: 1500, currency: 'KRW' }, at: '2025-03-01T00:30:00Z' }],
    }
    const out = renderTemplate(source, data, {
      locale: 'ko',
      timeZone: 'Asia/Seoul',
      format: 'text',
    })
    expect(out).toContain('₩1,500')
    expect(out).toContain('2025. 3. 1.')
    expect(out).toMatch(/(AM|오전) 9:30/)
  })

  it('compiles a source once and reuses it', () => {
    const source = `cached {{n}} ${Math.random()}`
    const a = renderTemplate(source, { n: 1 }, text)
    const b = renderTemplate(source, { n: 2 }, text)
    expect([a.split(' ')[1], b.split(' ')[1]]).toEqual(['1', '2'])
  })
})
