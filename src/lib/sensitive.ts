import { inspect } from 'node:util';

const PLACEHOLDER = '[sensitive]';

/**
 * A secret value that prints as a placeholder everywhere (String(), JSON, util.inspect, template literals),
 * so that it cannot leak through a log line or an error message by accident. Call `reveal()` where the value
 * is really needed.
 */
export class Sensitive<T = string> {
  readonly #value: T;
  constructor(value: T) {
    this.#value = value;
  }
  reveal(): T {
    return this.#value;
  }
  toString(): string {
    return PLACEHOLDER;
  }
  toJSON(): string {
    return PLACEHOLDER;
  }
  [inspect.custom](): string {
    return PLACEHOLDER;
  }
}
