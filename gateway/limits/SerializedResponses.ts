import type { FormattedExecutionResult } from 'graphql';

interface Serialized {
  errors: FormattedExecutionResult['errors'];
  extensions: FormattedExecutionResult['extensions'];
  text: string;
}

/**
 * A response's JSON, made once. The response-size limit has to serialise each
 * answer to measure it, and Apollo Server then serialised it again to send it
 * (a page of 100 people is about 100 KB of JSON): the text made for the
 * measure is kept here, by the answer's `data` object, and Apollo Server's
 * `stringifyResult` sends it when the answer it is given is still that one —
 * the same `data`, `errors` and `extensions`. Anything that replaces one of
 * them afterwards (a plugin adding the request id to errors, a refusal
 * replacing the body) gets a fresh serialisation.
 *
 * Plugins after the size check must therefore not change `data` in place; none
 * does (the audit and telemetry plugins only read it).
 */
export class SerializedResponses {
  private readonly texts = new WeakMap<object, Serialized>();

  /** The JSON Apollo Server would send for `result` (fields in its order), kept for sending. */
  serialize(result: FormattedExecutionResult): string {
    const { errors, data, extensions } = result;
    const text = JSON.stringify({ errors, data, extensions });
    if (data !== null && typeof data === 'object')
      this.texts.set(data, { errors, extensions, text });
    return text;
  }

  /** Apollo Server's `stringifyResult`: the kept text when `value` is the answer measured. */
  readonly stringifyResult = (value: FormattedExecutionResult): string => {
    const kept = value.data ? this.texts.get(value.data) : undefined;
    if (kept && kept.errors === value.errors && kept.extensions === value.extensions) {
      return `${kept.text}\n`;
    }
    return `${JSON.stringify(value)}\n`;
  };
}
