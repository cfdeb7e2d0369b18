/**
 * A value with every typed array replaced by its bytes as one base64 string (and its type), for
 * toEqual: vitest compares a typed array element by element as object keys, seconds for the
 * hundreds of thousands of elements a range result or an id index holds; a string compares at once.
 * @example expect(typedArraysAsText(a)).toEqual(typedArraysAsText(b));
 */
export function typedArraysAsText(value: unknown): unknown {
  if (ArrayBuffer.isView(value)) {
    return { [value.constructor.name]: Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('base64') };
  }
  if (Array.isArray(value)) return value.map(typedArraysAsText);
  if (value !== null && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, typedArraysAsText(v)]));
  }
  return value;
}
