import type { Rule } from './rule'

/*
 * Why not ajv's `JSONSchemaType<T>`: it demands `nullable: true` on every optional property
 * (which would let `null` through where the language means "absent"), cannot describe the
 * recursive `Rule` union or `unknown`, and fights discriminated unions such as `View`.
 * Instead each object schema is passed through `schemaFor<T>()`, a compile-time assertion that
 * the schema lists exactly T's properties (no more, no fewer), requires exactly T's required
 * ones, forbids additional properties, and gives each property a JSON type that matches the
 * TypeScript type (string ↔ 'string', number ↔ 'integer' | 'number', arrays ↔ 'array' with
 * matching items, …). A type change that the schema does not follow fails `tsc`.
 */

/** A JSON Schema as plain data. */
export type JsonSchema = boolean | { readonly [keyword: string]: unknown }

/** Keys of T that must be present. */
export type RequiredKeys<T> = {
  [K in keyof T]-?: undefined extends T[K] ? never : K
}[keyof T]

type JsonKind<V> = V extends string
  ? 'string'
  : V extends number
    ? 'number' | 'integer'
    : V extends boolean
      ? 'boolean'
      : V extends null
        ? 'null'
        : V extends readonly unknown[]
          ? 'array'
          : V extends object
            ? 'object'
            : never

type Keywords = { readonly [keyword: string]: unknown }

type ArraySchema<V> = V extends readonly (infer E)[]
  ? { readonly type: 'array'; readonly items: PropertySchema<E> } & Keywords
  : never

/** What a property of TypeScript type V may be described by. */
export type PropertySchema<V> = unknown extends V
  ? JsonSchema
  : [NonNullable<Rule>] extends [NonNullable<V>]
    ? JsonSchema
    : | { readonly $ref: string }
      | ({ readonly enum: readonly NonNullable<V>[] } & Keywords)
      | ({ readonly const: NonNullable<V> } & Keywords)
      | ArraySchema<NonNullable<V>>
      | ({ readonly type: Exclude<JsonKind<NonNullable<V>>, 'array'> } & Keywords)

/** The shape every object schema of the language has. */
export type ObjectSchema<T> = {
  readonly type: 'object'
  readonly properties: { readonly [K in keyof T]-?: PropertySchema<T[K]> }
  readonly required: readonly RequiredKeys<T>[]
  readonly additionalProperties: false
} & Keywords

type Missing<T, S> = S extends { readonly required: readonly (infer R)[] }
  ? Exclude<RequiredKeys<T>, R>
  : RequiredKeys<T>

type Extra<T, S> = S extends { readonly properties: infer P } ? Exclude<keyof P, keyof T> : never

/** Resolves to `unknown` when S describes T exactly, else to an object naming the mismatch. */
export type Agreement<T, S> = ([Missing<T, S>] extends [never]
  ? unknown
  : { requiredMissingFromSchema: Missing<T, S> }) &
  ([Extra<T, S>] extends [never] ? unknown : { propertiesNotInType: Extra<T, S> })

/**
 * Returns the schema unchanged; `tsc` fails when it does not describe T exactly.
 * @example const labelsSchema = schemaFor<Labels>()({ type: 'object', properties: {…}, … })
 */
export function schemaFor<T>() {
  return <const S extends ObjectSchema<T>>(schema: S & Agreement<T, S>): S => schema
}
