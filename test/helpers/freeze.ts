/**
 * Freezes a value and everything reachable from it through own properties
 * (objects and arrays), so a test can prove that code handed the value never
 * writes to it: in strict mode such a write throws a TypeError. Iterative and
 * cycle-safe. Map and Set contents are not frozen (Object.freeze can't).
 */
export function deepFreeze<T>(value: T): T {
  const seen = new Set<object>();
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const item = stack.pop();
    if ((typeof item !== 'object' && typeof item !== 'function') || item === null || seen.has(item)) continue;
    seen.add(item);
    for (const key of Reflect.ownKeys(item)) {
      const descriptor = Reflect.getOwnPropertyDescriptor(item, key);
      if (descriptor && 'value' in descriptor) stack.push(descriptor.value);
    }
    Object.freeze(item);
  }
  return value;
}
