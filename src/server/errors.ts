/**
 * The errors services throw for the API to map (src/server/api/trpc.ts turns them into tRPC codes,
 * and the REST facade into HTTP statuses), defined once.
 */

export class NotFoundError extends Error {
  constructor(what: string) {
    super(`${what} not found`);
    this.name = "NotFoundError";
  }
}

/** The request is valid but the row is in a state that does not allow it (e.g. triggering a paused task). */
export class ConflictError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ConflictError";
  }
}

/** The input is well-formed but refused for what it says (a webhook URL to a private address): a BAD_REQUEST. */
export class InvalidInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "InvalidInputError";
  }
}
