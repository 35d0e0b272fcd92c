// Intrinsics the prelude uses after user code starts, captured when the prelude is evaluated
// (before any script runs): a script that patches globals cannot redirect them.

export const stringify = JSON.stringify;
export const parse = JSON.parse;
export const PromiseCtor = Promise;
export const ProxyCtor = Proxy;
export const promiseThen = Promise.prototype.then;
export const apply = Reflect.apply;
export const defineProperty = Object.defineProperty;
export const freeze = Object.freeze;
export const create = Object.create;
export const isArray = Array.isArray;
export const dateNow = Date.now;
export const mathRandom = Math.random;
export const StringCtor = String;
export const ErrorCtor = Error;
export const regexpExec = RegExp.prototype.exec;
export const stringReplace = String.prototype.replace;
export const arrayJoin = Array.prototype.join;
export const keysOf = Object.keys;
export const weakSetHas = WeakSet.prototype.has;
export const weakSetAdd = WeakSet.prototype.add;

/** A thrown value's message without trusting it (its getters may throw). */
export function safeMessage(e: unknown): string {
  try {
    if (e !== null && typeof e === 'object') return StringCtor((e as { message?: unknown }).message);
    return StringCtor(e);
  } catch {
    return 'an error that could not be described';
  }
}
