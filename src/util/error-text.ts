/** The message of anything thrown: an Error's message, else its string form (one helper for every layer). */
export function errorText(error: unknown): string {
  if (error instanceof Error) return error.message
  return String(error)
}
