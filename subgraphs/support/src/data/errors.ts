/** Typed failures of the data layer; the domain turns them into GraphQL errors with codes. */

/** The conversation changed since it was read (another request appended to it): read again and retry. */
export class ConversationConflictError extends Error {
  override name = 'ConversationConflictError';
}
