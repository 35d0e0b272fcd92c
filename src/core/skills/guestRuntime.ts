// The `skills` object as guest code (plain ES2020 text, evaluated in QuickJS by the sandbox as the run's
// prologue, RunOptions.prologue). Invariant: every skill call validates its input first, runs under its
// own 'skill' span, and knows its call chain, so a cycle is refused by name and depth stays bounded.

/**
 * A function expression `(defs, opts) => void` in JS text. `defs[name]` = `{ file, hash, input, src }`
 * (`src`: the skill module compiled to CommonJS, or `error`: why it did not compile); `opts` =
 * `{ maxDepth, meta }`. It installs the global `skills` (and, with `meta`, `__twSkillMeta()` for the
 * loader and `__twSkillExample(name, i)` for `skills test`). Kept free of template substitutions so
 * the text is exactly what runs.
 */
export const SKILLS_RUNTIME = String.raw`(function (defs, opts) {
  var hook = globalThis.__twPrologue;
  delete globalThis.__twPrologue;
  var realTools = globalThis.tools;
  var Fn = Function;
  var freeze = Object.freeze, keys = Object.keys, isArray = Array.isArray, stringify = JSON.stringify;
  var HELPERS = ['retry', 'map', 'parallel', 'timeout', 'poll', 'fallback', 'race', 'batch', 'dag', 'pipe'];

  function SkillError(code, message, skill) {
    var e = new Error(message);
    e.name = 'SkillError';
    e.code = code;
    e.skill = skill;
    return e;
  }

  function kindOf(v) {
    if (v === null) return 'null';
    if (isArray(v)) return 'array';
    if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
    return typeof v;
  }
  function typeOk(t, v) {
    var k = kindOf(v);
    if (t === 'number') return k === 'number' || k === 'integer';
    return t === k;
  }
  // A JSON Schema subset: type, enum, const, properties, required, additionalProperties, items,
  // minimum/maximum, minLength/maxLength, minItems/maxItems, anyOf/oneOf. Problems go to out.
  function check(s, v, at, out) {
    if (!s || typeof s !== 'object' || out.length > 8) return;
    if (s.type !== undefined) {
      var types = isArray(s.type) ? s.type : [s.type];
      if (!types.some(function (t) { return typeOk(t, v); })) {
        out.push(at + ' must be ' + types.join(' or ') + ', not ' + kindOf(v));
        return;
      }
    }
    if (s.enum && !s.enum.some(function (x) { return stringify(x) === stringify(v); })) out.push(at + ' must be one of ' + stringify(s.enum));
    if (s.const !== undefined && stringify(s.const) !== stringify(v)) out.push(at + ' must be ' + stringify(s.const));
    var alts = s.anyOf || s.oneOf;
    if (alts && !alts.some(function (a) { var o = []; check(a, v, at, o); return o.length === 0; })) out.push(at + ' matches none of its allowed shapes');
    if (typeof v === 'number') {
      if (typeof s.minimum === 'number' && v < s.minimum) out.push(at + ' must be at least ' + s.minimum);
      if (typeof s.maximum === 'number' && v > s.maximum) out.push(at + ' must be at most ' + s.maximum);
    }
    if (typeof v === 'string') {
      if (typeof s.minLength === 'number' && v.length < s.minLength) out.push(at + ' must have at least ' + s.minLength + ' characters');
      if (typeof s.maxLength === 'number' && v.length > s.maxLength) out.push(at + ' must have at most ' + s.maxLength + ' characters');
    }
    if (isArray(v)) {
      if (typeof s.minItems === 'number' && v.length < s.minItems) out.push(at + ' must have at least ' + s.minItems + ' items');
      if (typeof s.maxItems === 'number' && v.length > s.maxItems) out.push(at + ' must have at most ' + s.maxItems + ' items');
      if (s.items && typeof s.items === 'object') for (var i = 0; i < v.length; i++) check(s.items, v[i], at + '[' + i + ']', out);
    }
    if (kindOf(v) === 'object') {
      var props = s.properties || {};
      (s.required || []).forEach(function (r) { if (v[r] === undefined) out.push(at + '.' + r + ' is required'); });
      keys(v).forEach(function (k) {
        if (props[k]) check(props[k], v[k], at + '.' + k, out);
        else if (s.additionalProperties === false) out.push(at + '.' + k + ' is not a known field (known: ' + (keys(props).join(', ') || 'none') + ')');
        else if (s.additionalProperties && typeof s.additionalProperties === 'object') check(s.additionalProperties, v[k], at + '.' + k, out);
      });
    }
  }

  // Tool calls and helpers a skill starts after an await have no span to nest under (the guest has no
  // async context): they enter the skill's span when nothing else is current.
  function inSpan(fn, span, outer) {
    return function () {
      var self = this, args = arguments;
      var p = hook.parent();
      if (p === null || p === undefined || p === outer) return span.enter(function () { return fn.apply(self, args); });
      return fn.apply(self, args);
    };
  }
  // Over an empty target: the real tools object is frozen, and a proxy of a frozen object must
  // return its very values.
  function wrapTools(real, span, outer) {
    return new Proxy({}, {
      get: function (t, k) {
        var v = real[k];
        if (typeof v === 'function') return inSpan(v, span, outer);
        if (v && typeof v === 'object') return wrapTools(v, span, outer);
        return v;
      },
      has: function (t, k) { return k in real; },
      ownKeys: function () { return Reflect.ownKeys(real); },
      getOwnPropertyDescriptor: function (t, k) {
        return k in real ? { value: this.get(t, k), enumerable: true, configurable: true, writable: false } : undefined;
      },
    });
  }

  // Skill bodies are compiled by Function, so their frames read <input>:LINE: LINE minus the lines
  // Function puts before the body is the skill file's line (sucrase keeps lines). Measured, not assumed.
  var BODY_OFFSET = (function () {
    try { new Fn('throw new Error()')(); } catch (e) {
      var m = /<input>:(\d+)/.exec(String(e && e.stack));
      if (m) return Number(m[1]) - 1;
    }
    return 0;
  })();
  // The first run of <input> frames not yet claimed belongs to the innermost failing skill (its
  // rejection is handled before its callers'): they are renamed to its file and line.
  function locate(e, file) {
    if (!e || typeof e !== 'object' || typeof e.stack !== 'string' || e.stack.indexOf('<input>:') < 0) return;
    var lines = e.stack.split('\n'), started = false;
    for (var i = 0; i < lines.length; i++) {
      var m = /^(.*)<input>:(\d+)(:\d+)?(.*)$/.exec(lines[i]);
      if (!m) { if (started) break; continue; }
      started = true;
      lines[i] = m[1] + file + ':' + Math.max(1, Number(m[2]) - BODY_OFFSET) + (m[3] || '') + m[4];
    }
    try { e.stack = lines.join('\n'); } catch (x) { /* a frozen error keeps its stack */ }
  }

  var compiled = {};
  keys(defs).forEach(function (name) {
    var d = defs[name];
    if (d.error) return;
    try {
      compiled[name] = new Fn('defineSkill', 'skills', 'tools', 'exports', 'require', HELPERS.join(', '), d.src + '\n;return exports.skill;');
    } catch (e) {
      d.error = 'It does not compile: ' + (e && e.message);
    }
  });

  function noImport(name) {
    throw SkillError('import_not_allowed', 'A skill cannot import modules (' + name + '): use tools.*, the helpers and skills.* instead.');
  }
  function identity(def) { return def; }

  function instantiate(name, skillsObj, toolsObj, helpers) {
    var d = defs[name];
    if (d.error) throw SkillError('broken_skill', 'The skill ' + name + ' (' + d.file + ') cannot run: ' + d.error, name);
    var exp = {};
    var def = compiled[name].apply(undefined, [identity, skillsObj, toolsObj, exp, noImport].concat(helpers));
    if (!def || typeof def.run !== 'function') throw SkillError('broken_skill', 'The skill file ' + d.file + ' must export const skill = defineSkill({ ..., run }).', name);
    return def;
  }

  function call(name, input, chain) {
    var d = defs[name];
    if (chain.indexOf(name) >= 0) {
      return Promise.reject(SkillError('cycle', 'Skill cycle: ' + chain.concat(name).join(' -> ') + '. A skill may not call a skill that is already running in its chain.', name));
    }
    if (chain.length >= opts.maxDepth) {
      return Promise.reject(SkillError('too_deep', 'Skills nest too deep: ' + chain.concat(name).join(' -> ') + ' (at most ' + opts.maxDepth + ' levels).', name));
    }
    if (input === undefined) input = {};
    var problems = [];
    check(d.input, input, 'input', problems);
    if (problems.length) return Promise.reject(SkillError('invalid_input', 'skills.' + name + ': ' + problems.slice(0, 6).join('; ') + '.', name));
    var outer = hook.parent();
    var span = hook.span({ name: name, hash: d.hash, file: d.file, depth: chain.length + 1 });
    var end = function (ok, e) {
      if (!ok) locate(e, d.file);
      span.end(ok, undefined, ok ? undefined : { code: String((e && e.code) || 'error'), message: String((e && e.message) || e) });
    };
    try {
      var sub = chain.concat(name);
      var helpers = HELPERS.map(function (h) { return typeof globalThis[h] === 'function' ? inSpan(globalThis[h], span, outer) : undefined; });
      var def = instantiate(name, skillsFor(sub), wrapTools(realTools, span, outer), helpers);
      var p = span.enter(function () { return def.run(input); });
      return Promise.resolve(p).then(function (v) { end(true); return v; }, function (e) { end(false, e); throw e; });
    } catch (e) {
      end(false, e);
      return Promise.reject(e);
    }
  }

  function skillsFor(chain) {
    var o = {};
    keys(defs).forEach(function (name) {
      o[name] = function (input) { return call(name, input, chain); };
    });
    return freeze(o);
  }

  Object.defineProperty(globalThis, 'skills', { value: skillsFor([]), writable: true, configurable: true, enumerable: false });

  if (opts.meta) {
    Object.defineProperty(globalThis, '__twSkillMeta', {
      configurable: true,
      value: function () {
        var out = {};
        keys(defs).forEach(function (name) {
          try {
            var def = instantiate(name, skillsFor([name]), realTools, HELPERS.map(function () { return undefined; }));
            var examples = isArray(def.examples)
              ? def.examples.map(function (x) { return { input: x && x.input, check: x && typeof x.check === 'function', expect: x && x.expect }; })
              : def.examples;
            out[name] = { ok: true, meta: { name: def.name, description: def.description, input: def.input, output: def.output, examples: examples, run: typeof def.run } };
          } catch (e) {
            out[name] = { ok: false, error: String((e && e.message) || e) };
          }
        });
        return out;
      },
    });
  }
  if (opts.examples) {
    Object.defineProperty(globalThis, '__twSkillExample', {
      configurable: true,
      value: async function (name, i) {
        var def = instantiate(name, skillsFor([name]), realTools, HELPERS.map(function () { return undefined; }));
        var ex = def.examples[i];
        var value = await skills[name](ex.input);
        if (typeof ex.check === 'function') {
          var verdict = await ex.check(value);
          if (verdict === false) throw SkillError('example_failed', 'The check of example ' + (i + 1) + ' returned false.', name);
        } else if (ex.expect !== undefined && stringify(ex.expect) !== stringify(value)) {
          throw SkillError('example_failed', 'Example ' + (i + 1) + ' expected ' + stringify(ex.expect) + ' but the skill returned ' + stringify(value) + '.', name);
        }
        return value;
      },
    });
  }
})`;
