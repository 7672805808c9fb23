/**
 * A value made on first use and kept: `const RE = lazy(() => /[\p{L}]+/gu)`,
 * then `RE()`.
 *
 * For module-level regular expressions with Unicode property classes: V8
 * builds a `\p{…}` class when the RegExp object is created, 0.1-0.2 ms each
 * on a cold start (measured on the 2-core reference VM), so a module-level
 * `\p` literal is paid by every process that loads its module, whether the
 * pattern runs or not. A cold `store` created ten and ran none of them.
 */
export function lazy<T>(make: () => T): () => T {
  let made = false;
  let value: T;
  return () => {
    if (!made) {
      value = make();
      made = true;
    }
    return value;
  };
}
