// The one error the analyses throw for a bad option: it names the parameter (in the API's spelling),
// says why in English, and carries the reason and values (domain/error-codes.ts) the page words it
// from; the routes answer it with a 400.
import type { FieldProblem } from '../../domain/error-codes.ts';

export class OptionError extends Error {
  readonly parameter: string;
  readonly problem: FieldProblem;

  constructor(parameter: string, message: string, problem: FieldProblem) {
    super(`${parameter}: ${message}`);
    this.name = new.target.name;
    this.parameter = parameter;
    this.problem = problem;
  }
}
