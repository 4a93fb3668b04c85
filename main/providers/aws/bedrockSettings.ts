/** Bedrock's own settings: the AWS region and profile, and what signing needs of them. */
import { z } from 'zod'
import type { IntegrationSettings } from '../../../preload/contract.ts'
import type { ProviderSettings, SettingsProblem } from '../provider.ts'

/** Keys need a region to sign with; a profile may carry its own. */
function check(settings: IntegrationSettings, credentials: { stored: boolean }): SettingsProblem | undefined {
  if (!credentials.stored && settings.awsProfile === undefined) {
    return {
      message: 'AWS Bedrock needs credentials {"accessKeyId", "secretAccessKey", "sessionToken"?} or settings.awsProfile (a profile in ~/.aws/config)',
      path: 'credentials',
    }
  }
  if (settings.awsProfile === undefined && !settings.awsRegion) {
    return { message: 'AWS Bedrock needs settings.awsRegion (e.g. us-east-1) to sign with access keys', path: 'settings.awsRegion' }
  }
  return undefined
}

export const bedrockSettings = {
  fields: {
    awsRegion: z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d{1,2}$/, 'an AWS region such as us-east-1').optional(),
    awsProfile: z.string().regex(/^[\w.@+-]{1,128}$/, 'a profile name from ~/.aws/config').optional(),
  },
  check,
} satisfies ProviderSettings
