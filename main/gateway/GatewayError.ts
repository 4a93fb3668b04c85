/** Moved to main/errors/ so layers below the gateway can throw it; kept so existing imports compile. */
export { GatewayError, type GatewayErrorCode } from '../errors/GatewayError.ts'
