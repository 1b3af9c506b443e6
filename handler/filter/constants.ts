/** Limits of the filter parser: protocol facts are in the grammar, these protect the Lambda. */
export const FilterLimits = {
  /** Longest expression accepted, in UTF-16 code units; AppFlow's own filters are a few hundred characters. */
  maxLength: 100_000,
  /** Deepest nesting of parentheses and NOTs; keeps recursion far from the stack limit. */
  maxDepth: 200,
  /** Longest piece of user input quoted back in an error message. */
  maxEcho: 60,
} as const;
