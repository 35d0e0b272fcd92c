// Golden tests for the JSON Schema → TypeScript printer: the exact expected text doubles as its
// documentation. Each case covers one construct MCP servers emit.
import { describe, expect, it } from 'vitest';
import { schemaToInlineTs, schemaToTs } from '../../../src/core/stubs/jsonSchemaToTs';
import { compileInMemory } from '../../fixtures/stubs/compileStubs';

/** Every golden case's schema, compiled together at the end: printed types must type-check. */
const printed: Record<string, string> = {};

describe('schemaToTs', () => {
  it('objects: required/optional, nested objects, descriptions, defaults, examples, formats, bounds', () => {
    const schema = {
      type: 'object',
      description: 'Search for customers.',
      properties: {
        query: {
          type: 'string',
          description: 'Free text.\nMatches name and email.',
          minLength: 1,
          maxLength: 200,
          examples: ['acme', 'bob@x.io'],
        },
        limit: { type: 'integer', minimum: 1, maximum: 100, default: 20 },
        since: { type: 'string', format: 'date-time', deprecated: true },
        filter: {
          type: 'object',
          properties: {
            status: { type: 'string', enum: ['active', 'churned'] },
            tags: { type: 'array', items: { type: 'string' }, uniqueItems: true },
          },
          required: ['status'],
          additionalProperties: false,
        },
      },
      required: ['query'],
      additionalProperties: false,
    };
    const r = schemaToTs(schema, { name: 'Input' });
    printed.objects = r.code;
    expect(r.code).toBe(`/** Search for customers. */
export interface Input {
  /**
   * Free text.
   * Matches name and email.
   * @example "acme"
   * @example "bob@x.io"
   * @minLength 1
   * @maxLength 200
   */
  query: string;
  /**
   * @default 20
   * @minimum 1
   * @maximum 100
   */
  limit?: number;
  /**
   * @deprecated
   * @format date-time
   */
  since?: string;
  filter?: {
    status: "active" | "churned";
    /** @uniqueItems true */
    tags?: string[];
  };
}
`);
    expect(r.warnings).toEqual([]);
    expect(r.allOptional).toBe(false);
  });

  it('arrays and tuples: prefixItems, array-form items, additionalItems, minItems, nesting', () => {
    const schema = {
      type: 'object',
      properties: {
        point: { type: 'array', prefixItems: [{ type: 'number' }, { type: 'number' }], items: false },
        range: {
          type: 'array',
          items: [{ type: 'string', format: 'date' }, { type: 'string', format: 'date' }],
          minItems: 1,
        },
        row: { type: 'array', prefixItems: [{ type: 'string' }], items: { type: ['number', 'null'] } },
        legacy: { type: 'array', items: [{ type: 'boolean' }], additionalItems: { type: 'string' } },
        matrix: { type: 'array', items: { type: 'array', items: { type: 'number' } } },
        anything: { type: 'array' },
        unions: { type: 'array', items: { anyOf: [{ type: 'string' }, { type: 'number' }] } },
      },
      required: ['point', 'range', 'row', 'legacy', 'matrix', 'anything', 'unions'],
    };
    const r = schemaToTs(schema, { name: 'Input' });
    printed.tuples = r.code;
    expect(r.code).toBe(`export interface Input {
  point: [number, number];
  /** @minItems 1 */
  range: [string, string?];
  row: [string, ...(number | null)[]];
  legacy: [boolean, ...string[]];
  matrix: number[][];
  anything: unknown[];
  unions: (string | number)[];
}
`);
    expect(r.warnings).toEqual([]);
    expect(r.allOptional).toBe(false);
  });

  it('enum and const: strings, numbers, booleans, null, JSON values, empty enum', () => {
    const schema = {
      type: 'object',
      properties: {
        kind: { const: 'customer' },
        level: { enum: [1, 2, -3] },
        flag: { enum: [true, null] },
        shape: { enum: [{ a: 1 }, [1, 'x']] },
        empty: { enum: [] },
        color: { type: 'string', enum: ['red', 'green'], nullable: true },
      },
      required: ['kind'],
      additionalProperties: false,
    };
    const r = schemaToTs(schema, { name: 'Input' });
    printed.literals = r.code;
    expect(r.code).toBe(`export interface Input {
  kind: "customer";
  level?: 1 | 2 | -3;
  flag?: true | null;
  shape?: {"a":1} | [1,"x"];
  empty?: never;
  color?: "red" | "green" | null;
}
`);
    expect(r.warnings).toEqual([]);
    expect(r.allOptional).toBe(false);
  });

  it('anyOf/oneOf as unions, allOf as intersections, required-only branches', () => {
    const schema = {
      type: 'object',
      properties: {
        id: { anyOf: [{ type: 'string' }, { type: 'integer' }] },
        shape: {
          oneOf: [
            {
              type: 'object',
              properties: { kind: { const: 'circle' }, r: { type: 'number' } },
              required: ['kind', 'r'],
              additionalProperties: false,
            },
            {
              type: 'object',
              properties: { kind: { const: 'square' }, side: { type: 'number' } },
              required: ['kind', 'side'],
              additionalProperties: false,
            },
          ],
        },
        both: {
          allOf: [
            { type: 'object', properties: { a: { type: 'string' } }, required: ['a'] },
            { type: 'object', properties: { b: { type: 'number' } } },
          ],
        },
        either: {
          type: 'object',
          properties: { email: { type: 'string' }, phone: { type: 'string' } },
          anyOf: [{ required: ['email'] }, { required: ['phone'] }],
        },
        narrowed: { type: 'string', anyOf: [{ format: 'email' }, { format: 'uri' }] },
        mixed: {
          allOf: [
            { anyOf: [{ type: 'string' }, { type: 'number' }] },
            { anyOf: [{ type: 'number' }, { type: 'boolean' }] },
          ],
        },
      },
      additionalProperties: false,
    };
    const r = schemaToTs(schema, { name: 'Input' });
    printed.combinators = r.code;
    expect(r.code).toBe(`export interface Input {
  id?: string | number;
  shape?: {
    kind: "circle";
    r: number;
  } | {
    kind: "square";
    side: number;
  };
  both?: {
    a: string;
  } & {
    b?: number;
  };
  either?: {
    email?: string;
    phone?: string;
  } & ({
    email: unknown;
  } | {
    phone: unknown;
  });
  narrowed?: string;
  mixed?: (string | number) & (number | boolean);
}
`);
    expect(r.warnings).toEqual([]);
    expect(r.allOptional).toBe(true);
  });

  it('type arrays, OpenAPI nullable, definitions', () => {
    const schema = {
      type: 'object',
      properties: {
        a: { type: ['string', 'null'] },
        b: { type: 'integer', nullable: true },
        c: { type: ['object', 'null'], properties: { x: { type: 'number' } }, required: ['x'] },
        d: { anyOf: [{ $ref: '#/definitions/Tag' }, { type: 'null' }] },
        e: { type: ['string', 'number', 'boolean'] },
      },
      required: ['a', 'b', 'c', 'd'],
      definitions: {
        Tag: {
          type: 'object',
          description: 'A label.',
          properties: { name: { type: 'string' } },
          required: ['name'],
        },
      },
    };
    const r = schemaToTs(schema, { name: 'Input' });
    printed.nullable = r.code;
    expect(r.code).toBe(`export interface Input {
  a: string | null;
  b: number | null;
  c: {
    x: number;
  } | null;
  d: Tag | null;
  e?: string | number | boolean;
}

/** A label. */
export interface Tag {
  name: string;
}
`);
    expect(r.warnings).toEqual([]);
    expect(r.allOptional).toBe(false);
  });

  it('recursive $ref/$defs become named recursive types; unused $defs are left out', () => {
    const schema = {
      type: 'object',
      description: 'A folder tree.',
      properties: { root: { $ref: '#/$defs/Folder' }, parent: { $ref: '#' }, json: { $ref: '#/$defs/Json' } },
      required: ['root'],
      $defs: {
        Folder: {
          type: 'object',
          properties: {
            name: { type: 'string' },
            children: { type: 'array', items: { $ref: '#/$defs/Folder' } },
            files: { type: 'array', items: { $ref: '#/$defs/File' } },
          },
          required: ['name', 'children'],
        },
        File: {
          type: 'object',
          properties: { name: { type: 'string' }, folder: { $ref: '#/$defs/Folder' } },
          required: ['name'],
        },
        Json: {
          anyOf: [
            { type: ['string', 'number', 'boolean', 'null'] },
            { type: 'array', items: { $ref: '#/$defs/Json' } },
            { type: 'object', additionalProperties: { $ref: '#/$defs/Json' } },
          ],
        },
        Unused: { type: 'string' },
      },
    };
    const r = schemaToTs(schema, { name: 'Input' });
    printed.recursive = r.code;
    expect(r.code).toBe(`/** A folder tree. */
export interface Input {
  root: Folder;
  parent?: Input;
  json?: Json;
}

export interface Folder {
  name: string;
  children: Folder[];
  files?: File[];
}

export type Json = string | number | boolean | null | Json[] | {
  [key: string]: Json;
};

export interface File {
  name: string;
  folder?: Folder;
}
`);
    expect(r.warnings).toEqual([]);
    expect(r.allOptional).toBe(false);
  });

  it('a $ref cycle with no object in between degrades to unknown with a comment', () => {
    const schema = {
      type: 'object',
      properties: { a: { $ref: '#/$defs/A' }, self: { $ref: '#/$defs/Self' } },
      $defs: {
        A: { anyOf: [{ $ref: '#/$defs/B' }, { type: 'string' }] },
        B: { allOf: [{ $ref: '#/$defs/A' }] },
        Self: { $ref: '#/$defs/Self' },
      },
    };
    const r = schemaToTs(schema, { name: 'Input' });
    printed.cycles = r.code;
    expect(r.code).toBe(`export interface Input {
  a?: A;
  self?: Self;
}

export type A = unknown /* $ref "#/$defs/B" is a type made only of itself */;

export type Self = unknown /* $ref "#/$defs/Self" is a type made only of itself */;
`);
    expect(r.warnings).toEqual([
      '#/$defs/A/anyOf/0: $ref "#/$defs/B" is a type made only of itself',
      '#/$defs/Self: $ref "#/$defs/Self" is a type made only of itself',
    ]);
    expect(r.allOptional).toBe(true);
  });

  it('additionalProperties true/false/schema and patternProperties as index signatures', () => {
    const schema = {
      type: 'object',
      properties: {
        open: { type: 'object' },
        closedEmpty: { type: 'object', properties: {} },
        anyExtra: {
          type: 'object',
          properties: { id: { type: 'string' } },
          required: ['id'],
          additionalProperties: true,
        },
        counts: { type: 'object', additionalProperties: { type: 'integer', description: 'Count per key.' } },
        mixed: {
          type: 'object',
          properties: { id: { type: 'string' }, n: { type: 'number' } },
          required: ['id'],
          additionalProperties: { type: 'boolean' },
        },
        headers: {
          type: 'object',
          patternProperties: { '^x-': { type: 'string' }, '^n-': { type: 'number' } },
          additionalProperties: false,
        },
      },
      additionalProperties: false,
    };
    const r = schemaToTs(schema, { name: 'Input' });
    printed.maps = r.code;
    expect(r.code).toBe(`export interface Input {
  open?: {
    [key: string]: unknown;
  };
  closedEmpty?: Record<string, never>;
  anyExtra?: {
    id: string;
    [key: string]: unknown;
  };
  counts?: {
    /** Count per key. */
    [key: string]: number;
  };
  mixed?: {
    id: string;
    n?: number;
    [key: string]: boolean | string | number | undefined;
  };
  headers?: {
    /**
     * Keys matching /^x-/.
     * Keys matching /^n-/.
     */
    [key: string]: string | number;
  };
}
`);
    expect(r.warnings).toEqual([]);
    expect(r.allOptional).toBe(true);
  });

  it('property names that are not identifiers are quoted', () => {
    const schema = {
      type: 'object',
      properties: {
        'content-type': { type: 'string' },
        '2fa': { type: 'boolean' },
        'with space': { type: 'string' },
        'quote"d': { type: 'string' },
        $ok: { type: 'string' },
        _ok: { type: 'string' },
        'ünï': { type: 'string' },
        '': { type: 'string' },
        default: { type: 'string' },
      },
      additionalProperties: false,
    };
    const r = schemaToTs(schema, { name: 'Input' });
    printed.names = r.code;
    expect(r.code).toBe(`export interface Input {
  "content-type"?: string;
  "2fa"?: boolean;
  "with space"?: string;
  "quote\\"d"?: string;
  $ok?: string;
  _ok?: string;
  "ünï"?: string;
  ""?: string;
  default?: string;
}
`);
    expect(r.warnings).toEqual([]);
    expect(r.allOptional).toBe(true);
  });

  it('server text can never close a comment early', () => {
    const schema = {
      type: 'object',
      description: 'Ends early */ unless escaped. /* nested */',
      properties: {
        x: {
          type: 'string',
          description: 'Pattern like a/*b*/c',
          default: '*/',
          examples: ['/**/'],
          pattern: '^.*/$',
        },
        y: { $ref: 'https://example.com/schema*/evil.json' },
      },
      additionalProperties: false,
    };
    const r = schemaToTs(schema, { name: 'Input' });
    printed.escaping = r.code;
    expect(r.code).toBe(`/** Ends early *\\/ unless escaped. /* nested *\\/ */
export interface Input {
  /**
   * Pattern like a/*b*\\/c
   * @default "*\\/"
   * @example "/**\\/"
   * @pattern ^.*\\/$
   */
  x?: string;
  y?: unknown /* external $ref "https://example.com/schema*\\/evil.json" is not resolved */;
}
`);
    expect(r.warnings).toEqual(['#/properties/y: external $ref "https://example.com/schema*/evil.json" is not resolved']);
    expect(r.allOptional).toBe(true);
  });

  it('what cannot be expressed degrades to unknown with a comment, never a crash', () => {
    const schema = {
      type: 'object',
      properties: {
        badRef: { $ref: '#/$defs/Missing' },
        external: { $ref: 'other.json#/Thing' },
        anchor: { $ref: '#thing' },
        notSchema: 42,
        str: 'string',
        weirdType: { type: 'date' },
        protoType: { type: 'constructor' },
        refNotString: { $ref: 7 },
        yes: true,
        no: false,
        empty: {},
      },
      required: ['badRef'],
      additionalProperties: false,
    };
    const r = schemaToTs(schema, { name: 'Input' });
    printed.degrade = r.code;
    expect(r.code).toBe(`export interface Input {
  badRef: unknown /* $ref "#/$defs/Missing" points to nothing */;
  external?: unknown /* external $ref "other.json#/Thing" is not resolved */;
  anchor?: unknown /* anchor $ref "#thing" is not supported */;
  notSchema?: unknown /* not a JSON Schema object */;
  str?: unknown /* not a JSON Schema object */;
  weirdType?: unknown /* unknown type "date" */;
  protoType?: unknown /* unknown type "constructor" */;
  refNotString?: unknown /* $ref is not a string */;
  yes?: unknown;
  no?: never;
  empty?: unknown;
}
`);
    expect(r.warnings).toEqual([
      '#/properties/badRef: $ref "#/$defs/Missing" points to nothing',
      '#/properties/external: external $ref "other.json#/Thing" is not resolved',
      '#/properties/anchor: anchor $ref "#thing" is not supported',
      '#/properties/notSchema: not a JSON Schema object',
      '#/properties/str: not a JSON Schema object',
      '#/properties/weirdType: unknown type "date"',
      '#/properties/protoType: unknown type "constructor"',
      '#/properties/refNotString: $ref is not a string',
    ]);
    expect(r.allOptional).toBe(false);
  });

  it('definition names never shadow globals or the root type', () => {
    const schema = {
      type: 'object',
      properties: {
        r: { $ref: '#/$defs/Record' },
        p: { $ref: '#/$defs/Input' },
        q: { $ref: '#/definitions/my-thing' },
      },
      additionalProperties: false,
      $defs: { Record: { type: 'string' }, Input: { type: 'number' } },
      definitions: { 'my-thing': { type: 'boolean' } },
    };
    const r = schemaToTs(schema, { name: 'Input' });
    printed.collisions = r.code;
    expect(r.code).toBe(`export interface Input {
  r?: Record2;
  p?: Input2;
  q?: MyThing;
}

export type Record2 = string;

export type Input2 = number;

export type MyThing = boolean;
`);
    expect(r.warnings).toEqual([]);
    expect(r.allOptional).toBe(true);
  });

  it('the golden outputs type-check under strict', () => {
    expect(Object.keys(printed).length).toBeGreaterThan(10);
    const files = Object.fromEntries(Object.entries(printed).map(([k, code]) => [`${k}.ts`, code]));
    expect(compileInMemory(files)).toEqual([]);
  });

  it('caps absurd depth instead of overflowing the stack', () => {
    let deep: unknown = { type: 'string' };
    for (let i = 0; i < 5000; i++) deep = { type: 'object', properties: { n: deep }, required: ['n'] };
    const r = schemaToTs(deep, { name: 'Deep' });
    expect(r.code).toContain('n: unknown /* nested deeper than 32 levels */;');
    expect(r.warnings).toHaveLength(1);
    expect(r.warnings[0]).toMatch(/^….*: nested deeper than 32 levels$/);
    const shallow = schemaToTs(deep, { name: 'Deep', maxDepth: 1 });
    expect(shallow.code).toBe(`export interface Deep {
  n: {
    n: unknown /* nested deeper than 1 levels */;
  };
}
`);
  });

  it('survives a schema object that contains itself (not through $ref)', () => {
    const cyclic: Record<string, unknown> = { type: 'object', properties: {} };
    (cyclic.properties as Record<string, unknown>).self = cyclic;
    const r = schemaToTs(cyclic, { name: 'Cyclic' });
    expect(r.warnings).toHaveLength(1);
    expect(r.code).toContain('self?: unknown /* nested deeper than 32 levels */;');
  });

  it('prints non-object roots as types, never throwing', () => {
    const print = (s: unknown): string => schemaToTs(s, { name: 'T' }).code;
    expect(print(null)).toBe('export type T = unknown /* not a JSON Schema object */;\n');
    expect(print('string')).toBe('export type T = unknown /* not a JSON Schema object */;\n');
    expect(print([{ type: 'string' }])).toBe('export type T = unknown /* not a JSON Schema object */;\n');
    expect(print(true)).toBe('export type T = unknown;\n');
    expect(print(false)).toBe('export type T = never;\n');
    expect(print({})).toBe('export type T = unknown;\n');
    expect(print({ type: 'string', description: 'A name.' })).toBe('/** A name. */\nexport type T = string;\n');
    expect(print({ $ref: '#' })).toBe('export type T = unknown /* $ref "#" is a type made only of itself */;\n');
    expect(print({ type: 'object', properties: [], required: 'x' })).toBe('export interface T {\n  [key: string]: unknown;\n}\n');
  });

  it('shares usedNames between the input and output of one file', () => {
    const used = new Set(['ToolInput', 'ToolOutput']);
    const schema = { type: 'object', properties: { item: { $ref: '#/$defs/Item' } }, $defs: { Item: { type: 'string' } } };
    const input = schemaToTs(schema, { name: 'ToolInput', usedNames: used });
    const output = schemaToTs(schema, { name: 'ToolOutput', usedNames: used, rootDoc: ['What the tool returns.'] });
    expect(input.code).toBe('export interface ToolInput {\n  item?: Item;\n}\n\nexport type Item = string;\n');
    expect(output.code).toBe(
      '/** What the tool returns. */\nexport interface ToolOutput {\n  item?: Item2;\n}\n\nexport type Item2 = string;\n',
    );
  });

  it('prints FastMCP/pydantic-style schemas ($defs, anyOf with null, titles everywhere) cleanly', () => {
    const schema = {
      $defs: {
        Address: {
          properties: {
            street: { title: 'Street', type: 'string' },
            zip: { anyOf: [{ type: 'string' }, { type: 'null' }], default: null, title: 'Zip' },
          },
          required: ['street'],
          title: 'Address',
          type: 'object',
        },
        Priority: { enum: ['low', 'high'], title: 'Priority', type: 'string' },
      },
      properties: {
        name: { title: 'Name', type: 'string' },
        address: { $ref: '#/$defs/Address' },
        priority: { $ref: '#/$defs/Priority', default: 'low' },
        tags: { anyOf: [{ items: { type: 'string' }, type: 'array' }, { type: 'null' }], default: null, title: 'Tags' },
      },
      required: ['name', 'address'],
      title: 'create_ticketArguments',
      type: 'object',
    };
    expect(schemaToTs(schema, { name: 'CreateTicketInput' }).code).toBe(`export interface CreateTicketInput {
  name: string;
  address: Address;
  /** @default "low" */
  priority?: Priority;
  /** @default null */
  tags?: string[] | null;
}

export interface Address {
  street: string;
  /** @default null */
  zip?: string | null;
}

export type Priority = "low" | "high";
`);
  });

  it('drops the safe-integer bounds zod states for .int(), keeps real ones', () => {
    const schema = {
      type: 'object',
      properties: {
        n: { type: 'integer', minimum: -9007199254740991, maximum: 9007199254740991, description: 'A count.' },
        m: { type: 'integer', minimum: 0, maximum: 9007199254740991 },
      },
      required: ['n', 'm'],
      additionalProperties: false,
    };
    expect(schemaToTs(schema, { name: 'T' }).code).toBe(`export interface T {
  /** A count. */
  n: number;
  /** @minimum 0 */
  m: number;
}
`);
  });

  it('reports whether a call may omit the input', () => {
    const optional = (s: unknown): boolean => schemaToTs(s, { name: 'T' }).allOptional;
    expect(optional({ type: 'object' })).toBe(true);
    expect(optional({ type: 'object', properties: {} })).toBe(true);
    expect(optional({ type: 'object', properties: { a: { type: 'string' } } })).toBe(true);
    expect(optional({ type: 'object', properties: { a: { type: 'string' } }, required: ['a'] })).toBe(false);
    expect(optional({ allOf: [{ type: 'object', properties: { a: { type: 'string' } } }, { required: ['a'] }] })).toBe(false);
    expect(optional({ type: 'string' })).toBe(false);
  });
});

describe('schemaToInlineTs', () => {
  it('prints one line with references inlined and deep objects elided', () => {
    const schema = {
      type: 'object',
      properties: {
        query: { type: 'string', description: 'ignored in one-line form' },
        page: { type: 'object', properties: { size: { type: 'integer' }, cursor: { type: ['string', 'null'] } } },
        tree: { $ref: '#/$defs/Node' },
      },
      required: ['query'],
      $defs: { Node: { type: 'object', properties: { children: { type: 'array', items: { $ref: '#/$defs/Node' } } } } },
    };
    expect(schemaToInlineTs(schema)).toEqual({
      text: '{ query: string; page?: { size?: number; cursor?: string | null }; tree?: { children?: {...}[] } }',
      allOptional: false,
    });
    expect(schemaToInlineTs(schema, 0).text).toBe('{ query: string; page?: {...}; tree?: {...} }');
  });

  it('cuts long enums and prints closed empty objects as {}', () => {
    const letters = [...'abcdefghijkl'];
    expect(schemaToInlineTs({ enum: letters }).text).toBe('"a" | "b" | "c" | "d" | "e" | "f" | "g" | "h" | ...');
    expect(schemaToInlineTs({ type: 'object', properties: {} })).toEqual({ text: '{}', allOptional: true });
  });
});
