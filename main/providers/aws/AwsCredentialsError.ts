/**
 * Why AWS credentials could not be resolved. Messages name the file and profile and say what to do;
 * they never contain a key. Codes are stable; tests use them.
 */
export type AwsCredentialsErrorCode =
  | 'missing_keys'
  | 'profile_not_found'
  | 'incomplete_profile'
  | 'unsupported_profile'
  | 'unreadable_file'

export class AwsCredentialsError extends Error {
  readonly code: AwsCredentialsErrorCode

  constructor(code: AwsCredentialsErrorCode, message: string) {
    super(message)
    this.name = 'AwsCredentialsError'
    this.code = code
  }
}
