/** An ASCII sentence: three or more Latin words in a row (a code, a road number or a field name alone is not one). */
export const ASCII_SENTENCE = /[A-Za-z]+(?:[\s,;:'"-]+[A-Za-z]+){2,}/;
