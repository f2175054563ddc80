// The one error the analyses throw for a bad option: it names the parameter (in the API's spelling)
// and says why; the routes answer it with a 400.
export class OptionError extends Error {
  readonly parameter: string;

  constructor(parameter: string, message: string) {
    super(`${parameter}: ${message}`);
    this.name = new.target.name;
    this.parameter = parameter;
  }
}
