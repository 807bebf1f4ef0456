/** The message at a dotted key (`courtroom.alert.disconnected`) of a message bundle, or undefined. */
export function lookup(messages: object, key: string): unknown {
  return key
    .split('.')
    .reduce<unknown>(
      (node, part) => (node && typeof node === 'object' ? Reflect.get(node, part) : undefined),
      messages,
    );
}
