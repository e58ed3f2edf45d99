/** A parse failure, returned as a value: parsers never throw on bad input. */
export interface ParseError {
  readonly error: string;
}

/** What a parser returns: the record, or why the text could not be read as one. */
export type Parsed<T> = T | ParseError;

export function isParseError<T>(value: Parsed<T>): value is ParseError {
  return typeof value === 'object' && value !== null && 'error' in value;
}

export function parseError(error: string): ParseError {
  return { error };
}
