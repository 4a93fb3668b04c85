/** An absolute http(s) URL, as settings give base URLs and endpoints. */
import { z } from 'zod'

export const httpUrl = z
  .string()
  .url()
  .refine((u) => /^https?:\/\//i.test(u), 'must be an http:// or https:// URL')
